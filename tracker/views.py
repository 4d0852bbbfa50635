"""The tracker's public pages: every published measure with its filters and the deadlines ahead,
and one measure with its status, timeline, events, accounts and changes. Pages showing status or
days left are never kept past the site's midnight."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import render

from core import page_cache
from core.meta import json_ld_script
from tracker import dates, metadata, selectors, timeline
from tracker.forms import TrackerFilterForm

FILTERS = ("q", "mineral", "country", "kind", "direction", "status", "on")


def _until_midnight(request):
    # Status and "days left" are as of today: tomorrow's page is another page.
    page_cache.expires(request, at=dates.next_midnight())


@page_cache.cacheable(query=(*FILTERS, "page"))
def measure_list(request):
    form = TrackerFilterForm(request.GET)
    filters = form.filters()
    _until_midnight(request)
    today = dates.today()
    on = filters["on"]
    measures = selectors.measures_filtered(filters).for_listing().order_by("title", "pk")
    page = Paginator(measures, settings.TRACKER_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(measure, measure.status_on(on)) for measure in page.object_list]
    deadlines = [
        (period.measure, period.as_period(), (period.until - today).days)
        for period in selectors.deadlines_ahead(today, days=settings.TRACKER_DEADLINE_DAYS)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracker/measure_list.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "on": on,
            "today": today,
            "is_today": on == today,
            "deadlines": deadlines,
            "query": query.urlencode(),
            "export_query": _export_query(filters, today),
            "deadline_days": settings.TRACKER_DEADLINE_DAYS,
        },
    )


def _export_query(filters, today):
    """The filters as the exports' and feeds' query string (today's `on` left out: it is their default)."""
    query = QueryDict(mutable=True)
    for name in FILTERS:
        value = filters.get(name)
        if value and not (name == "on" and value == today):
            query[name] = value.isoformat() if name == "on" else value
    return query.urlencode()


@page_cache.cacheable
def measure_detail(request, slug):
    measure = selectors.measure_detail(slug)
    if measure is None:
        raise Http404("No published measure at this address.")
    _until_midnight(request)
    today = dates.today()
    status = measure.status_on(today)
    periods = [stored.as_period() for stored in measure.stored_periods()]
    events = measure.public_events
    drawing = timeline.build(periods, events, today=today)
    return render(
        request,
        "tracker/measure_detail.html",
        {
            "measure": measure,
            "status": status,
            "today": today,
            "periods": periods,
            "events": events,
            "drawing": drawing,
            "drawing_svg": timeline.svg(
                drawing, title_id="timeline-title", title=f"Timeline of {measure.title}"
            ),
            "legend": timeline.legend(),
            "changes": measure.public_changes,
            "json_ld": json_ld_script(metadata.legislation(measure, status, events)),
        },
    )
