"""Reads the tracker's pages, feeds, exports and mail make: published measures narrowed by the
readers' filters, deadlines ahead, and a measure with everything its page shows. Each is a fixed
number of queries, whatever the number of measures or events."""

from datetime import timedelta

from django.db.models import Prefetch, Q

from articles.models import Article, Country, Mineral
from tracker.models import (
    EventAccount,
    Measure,
    MeasureChange,
    MeasureEvent,
    MeasurePeriod,
    PublicationStatus,
)


def subject(model, slug):
    """The mineral or country with this slug, or None."""
    return model.objects.filter(slug=slug).first() if slug else None


def measures_filtered(filters, *, measures=None):
    """Published measures matching `filters` (TrackerFilterForm.filters()): mineral and country by
    slug (a country implementing or affected), kind, direction, status on `on`, and a search of
    title, instrument and mineral. An unknown mineral or country matches nothing."""
    measures = Measure.objects.published() if measures is None else measures
    if "mineral" in filters:
        mineral = subject(Mineral, filters["mineral"])
        measures = measures.about_mineral(mineral) if mineral else measures.none()
    if "country" in filters:
        country = subject(Country, filters["country"])
        measures = measures.about_country(country) if country else measures.none()
    if "kind" in filters:
        measures = measures.filter(kind=filters["kind"])
    if "direction" in filters:
        measures = measures.filter(direction=filters["direction"])
    if "status" in filters:
        measures = measures.with_state_on(filters["on"], filters["status"])
    if "q" in filters:
        measures = measures_matching(measures, filters["q"])
    return measures


def measures_matching(measures, query):
    """Measures whose title, instrument or a mineral's name, symbol or aliases hold every word of `query`."""
    for word in query.split()[:8]:
        minerals = Mineral.objects.filter(
            Q(name__icontains=word) | Q(symbol__iexact=word) | Q(aliases__icontains=word)
        ).values("pk")
        in_minerals = Measure.minerals.through.objects.filter(mineral__in=minerals).values("measure")
        measures = measures.filter(
            Q(title__icontains=word) | Q(instrument__icontains=word) | Q(pk__in=in_minerals)
        )
    return measures


def deadlines_ahead(today, *, days, measures=None):
    """The current periods of published measures whose `until` falls within `days` of `today`,
    soonest first, each with its measure."""
    periods = MeasurePeriod.objects.filter(
        measure__status=PublicationStatus.PUBLISHED, until__gte=today, until__lte=today + timedelta(days=days)
    ).covering(today)
    if measures is not None:
        periods = periods.filter(measure__in=measures)
    return periods.select_related("measure").order_by("until", "measure__title")


def live_articles():
    return Article.objects.published().only("pk", "title", "slug", "publish_at")


def published_events():
    """Published events of published measures, each with its live articles and its accounts."""
    return MeasureEvent.objects.published().prefetch_related(
        Prefetch("articles", queryset=live_articles().order_by("publish_at")),
        Prefetch("accounts", queryset=EventAccount.objects.select_related("source")),
    )


def measure_detail(slug):
    """A published measure with everything its page shows, or None."""
    return (
        Measure.objects.published()
        .select_related("implementing_country", "official_source")
        .prefetch_related(
            "minerals",
            "affected_countries",
            "periods",
            Prefetch("events", queryset=published_events(), to_attr="public_events"),
            Prefetch(
                "changes",
                queryset=MeasureChange.objects.filter(public=True).order_by("-changed_at", "-pk"),
                to_attr="public_changes",
            ),
        )
        .filter(slug=slug)
        .first()
    )


def measures_in_articles(article):
    """The published measures that `article` reports, each with the events it reports."""
    events = MeasureEvent.objects.published().filter(articles=article)
    return (
        Measure.objects.published()
        .filter(pk__in=events.values("measure"))
        .prefetch_related("periods", Prefetch("events", queryset=events, to_attr="reported_events"))
    )
