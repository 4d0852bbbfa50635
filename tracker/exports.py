"""Open data: /tracker/measures.csv, /tracker/measures.json and /tracker/events.csv, with the
tracker page's filters. Rows are streamed from the database a chunk at a time, so memory stays flat
however many measures there are; an ETag lets a client that has the current file skip the download.

Statuses are as of `on` (default today), read through the one status rule; dates are written at
their precision in ISO 8601 (2024, 2024-03, 2024-03-05). docs/tracker.md documents every column.
"""

import csv
import hashlib
import json
from collections import defaultdict

from django.db.models import Count, Max
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from articles.models import Article
from core.site import absolute_url
from tracker import dates, selectors, status
from tracker.forms import TrackerFilterForm
from tracker.models import Measure, MeasureEvent, MeasurePeriod

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
PERIOD_FIELDS = ("state", "start", "start_precision", "end", "until", "basis", "event_id", "lapsed_until")


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


def _chunks(queryset, fields):
    """Rows of `queryset` as dicts of `fields`, CHUNK at a time by primary key: each chunk is its own
    short query, so memory stays flat and no cursor is held open while a slow client reads."""
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["pk"]


def _names(through, owner, name_path, owner_ids):
    names = defaultdict(list)
    for owner_id, name in (
        through.objects.filter(**{f"{owner}__in": owner_ids})
        .order_by(name_path)
        .values_list(owner, name_path)
    ):
        names[owner_id].append(name)
    return names


def _periods(measure_ids):
    periods = defaultdict(list)
    for values in (
        MeasurePeriod.objects.filter(measure_id__in=measure_ids)
        .order_by("start")
        .values("measure_id", *PERIOD_FIELDS)
    ):
        periods[values.pop("measure_id")].append(status.Period(**values))
    return periods


def _measure_url(slug):
    return absolute_url(reverse("tracker:measure", kwargs={"slug": slug}))


def _measure_rows(filters):
    """One dict per measure, its status on `on` through the one rule (tracker.status)."""
    on = filters["on"]
    fields = (
        "slug",
        "title",
        "kind",
        "direction",
        "implementing_country__name",
        "instrument",
        "official_url",
    )
    for chunk in _chunks(_measures(filters), (*fields, "hs_codes")):
        ids = [row["pk"] for row in chunk]
        minerals = _names(Measure.minerals.through, "measure_id", "mineral__name", ids)
        affected = _names(Measure.affected_countries.through, "measure_id", "country__name", ids)
        periods = _periods(ids)
        for row in chunk:
            state = status.status_on(periods[row["pk"]], on)
            yield {
                "id": row["pk"],
                "slug": row["slug"],
                "title": row["title"],
                "kind": row["kind"],
                "direction": row["direction"],
                "implementing_country": row["implementing_country__name"] or "",
                "affected_countries": "; ".join(affected[row["pk"]]),
                "minerals": "; ".join(minerals[row["pk"]]),
                "instrument": row["instrument"],
                "official_url": row["official_url"],
                "hs_codes": "; ".join(code.strip() for code in row["hs_codes"].split(",") if code.strip()),
                "status": state.state if state else "",
                "status_basis": state.basis if state else "",
                "status_since": dates.iso(state.since, state.since_precision) if state else "",
                "status_until": dates.iso(state.until) if state else "",
                "lapsed_until": dates.iso(state.lapsed_until) if state else "",
                "on": on.isoformat(),
                "url": _measure_url(row["slug"]),
            }


def _event_rows(filters):
    fields = ("measure_id", "measure__slug", "date", "date_precision", "kind", "until", "summary")
    for chunk in _chunks(_events(filters), fields):
        articles = defaultdict(list)
        for event_id, slug in (
            MeasureEvent.articles.through.objects.filter(
                measureevent_id__in=[row["pk"] for row in chunk], article__in=Article.objects.published()
            )
            .order_by("article__publish_at", "article_id")
            .values_list("measureevent_id", "article__slug")
        ):
            articles[event_id].append(absolute_url(reverse("articles:detail", kwargs={"slug": slug})))
        for row in chunk:
            yield {
                "measure_slug": row["measure__slug"],
                "date": dates.iso(row["date"], row["date_precision"]),
                "date_precision": row["date_precision"],
                "kind": row["kind"],
                "until": dates.iso(row["until"]),
                "summary": row["summary"],
                "articles": " ".join(articles[row["pk"]]),
                "measure_url": _measure_url(row["measure__slug"]),
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
