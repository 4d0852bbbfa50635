"""Open data: /tracker/measures.csv, /tracker/measures.json and /tracker/events.csv, with the
tracker page's filters. Rows are streamed from the database a chunk at a time, so memory stays flat
however many measures there are; an ETag lets a client that has the current file skip the download.

Statuses are as of `on` (default today), read through the one status rule; dates are written at
their precision in ISO 8601 (2024, 2024-03, 2024-03-05). docs/tracker.md documents every column.
"""

import csv
import hashlib
import json

from django.db.models import Count, Max, Prefetch
from django.http import StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from core.site import absolute_url
from tracker import dates, selectors
from tracker.forms import TrackerFilterForm
from tracker.models import Measure, MeasureEvent

MEASURE_COLUMNS = (
    "id",
    "slug",
    "title",
    "kind",
    "direction",
    "implementing_country",
    "affected_countries",
    "minerals",
    "instrument",
    "official_url",
    "hs_codes",
    "status",
    "status_basis",
    "status_since",
    "status_until",
    "lapsed_until",
    "on",
    "url",
)
EVENT_COLUMNS = (
    "measure_slug",
    "date",
    "date_precision",
    "kind",
    "until",
    "summary",
    "articles",
    "measure_url",
)
CHUNK = 500


def _filters(request):
    filters = TrackerFilterForm(request.GET).filters()
    measure = request.GET.get("measure", "").strip()
    if measure:
        filters["measure"] = measure
    return filters


def _measures(filters):
    measures = selectors.measures_filtered(filters)
    if "measure" in filters:
        measures = measures.filter(slug=filters["measure"])
    return measures.order_by("pk")


def _events(filters):
    return MeasureEvent.objects.published().filter(measure__in=_measures(filters).values("pk"))


def export_etag(request, *args, **kwargs):
    """Changes when any measure or event is saved, or the day (statuses are as of today) or filters change."""
    filters = _filters(request)
    state = (
        Measure.objects.aggregate(changed=Max("updated_at"), count=Count("pk")),
        MeasureEvent.objects.aggregate(changed=Max("updated_at"), count=Count("pk")),
        sorted((name, str(value)) for name, value in filters.items()),
        request.path,
        str(dates.today()),
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:32]


class _Echo:
    """csv.writer writes each row here and the row comes straight back, to be streamed."""

    def write(self, value):
        return value


def measure_row(measure, on):
    """One measure as the exports' columns, its status on `on` through the one rule."""
    status = measure.status_on(on)
    return {
        "id": measure.pk,
        "slug": measure.slug,
        "title": measure.title,
        "kind": measure.kind,
        "direction": measure.direction,
        "implementing_country": measure.implementing_country.name if measure.implementing_country else "",
        "affected_countries": "; ".join(country.name for country in measure.affected_countries.all()),
        "minerals": "; ".join(mineral.name for mineral in measure.minerals.all()),
        "instrument": measure.instrument,
        "official_url": measure.official_url,
        "hs_codes": "; ".join(measure.hs_code_list),
        "status": status.state if status else "",
        "status_basis": status.basis if status else "",
        "status_since": dates.iso(status.since, status.since_precision) if status else "",
        "status_until": dates.iso(status.until) if status else "",
        "lapsed_until": dates.iso(status.lapsed_until) if status else "",
        "on": on.isoformat(),
        "url": absolute_url(measure.get_absolute_url()),
    }


def _measure_rows(filters):
    measures = (
        _measures(filters)
        .select_related("implementing_country")
        .prefetch_related("minerals", "affected_countries", "periods")
    )
    for measure in measures.iterator(chunk_size=CHUNK):
        yield measure_row(measure, filters["on"])


def _event_rows(filters):
    events = (
        _events(filters)
        .select_related("measure")
        .prefetch_related(Prefetch("articles", queryset=selectors.live_articles()))
        .order_by("measure_id", "date", "pk")
    )
    for event in events.iterator(chunk_size=CHUNK):
        yield {
            "measure_slug": event.measure.slug,
            "date": event.date_iso,
            "date_precision": event.date_precision,
            "kind": event.kind,
            "until": dates.iso(event.until),
            "summary": event.summary,
            "articles": " ".join(
                absolute_url(article.get_absolute_url()) for article in event.articles.all()
            ),
            "measure_url": absolute_url(event.measure.get_absolute_url()),
        }


def _csv(rows, columns, filename):
    writer = csv.DictWriter(_Echo(), fieldnames=columns)

    def stream():
        yield writer.writeheader()
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _public(response)


def _public(response):
    response["Access-Control-Allow-Origin"] = "*"  # open data: any page may fetch it
    patch_cache_control(response, public=True, max_age=300)
    return response


@condition(etag_func=export_etag)
def measures_csv(request):
    return _csv(_measure_rows(_filters(request)), MEASURE_COLUMNS, "measures.csv")


@condition(etag_func=export_etag)
def events_csv(request):
    return _csv(_event_rows(_filters(request)), EVENT_COLUMNS, "events.csv")


@condition(etag_func=export_etag)
def measures_json(request):
    filters = _filters(request)

    def stream():
        yield '{"on": "%s", "columns": %s, "measures": [' % (
            filters["on"].isoformat(),
            json.dumps(MEASURE_COLUMNS),
        )
        for index, row in enumerate(_measure_rows(filters)):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]}\n"

    return _public(StreamingHttpResponse(stream(), content_type="application/json"))
