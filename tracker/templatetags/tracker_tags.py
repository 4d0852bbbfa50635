"""The tracker on other apps' pages, through templates alone: "Measures in this story" on an article
page and a timeline strip on mineral and country pages. articles never imports the tracker; its
templates include tracker/includes/*.html, which load these tags."""

from django import template

from articles.models import Country, Mineral
from tracker import dates, selectors, timeline
from tracker.models import Measure

register = template.Library()

STRIP_LIMIT = 12


@register.simple_tag
def measures_in_story(article):
    """[(measure, status today, events the story reports)] for the published measures `article` reports."""
    today = dates.today()
    return [
        (measure, measure.status_on(today), measure.reported_events)
        for measure in selectors.measures_in_articles(article).order_by("title", "pk")
    ]


@register.inclusion_tag("tracker/includes/timeline_strip.html")
def measure_strip(subject):
    """The measures on a mineral, or taken by or affecting a country, each with status today and a
    small drawing of its periods (the busiest STRIP_LIMIT, newest first)."""
    measures = Measure.objects.published()
    if isinstance(subject, Mineral):
        measures, scope = measures.about_mineral(subject), "mineral"
    elif isinstance(subject, Country):
        measures, scope = measures.about_country(subject), "country"
    else:
        return {}
    today = dates.today()
    rows = []
    for measure in measures.prefetch_related("periods").order_by("-updated_at", "pk")[:STRIP_LIMIT]:
        periods = [stored.as_period() for stored in measure.stored_periods()]
        rows.append((measure, measure.status_on(today), timeline.build(periods, [], today=today)))
    return {"rows": rows, "subject": subject, "scope": scope}
