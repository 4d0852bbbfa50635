"""The daily update's "Measures" section, plugged into the newsletter from above through
settings.NEWSLETTER_SECTIONS (as newsletter/sections.py describes): the changes to published
measures since the last update on a subscriber's topics, and the deadlines of the next days
("suspension ends in 3 days"). A change to the tracker is news enough for an update on a day with
no new article."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from core.site import absolute_url
from tracker import dates
from tracker.models import Measure, MeasureChange, MeasurePeriod, PublicationStatus


@dataclass(frozen=True)
class DigestItem:
    text: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class DigestSection:
    """What newsletter.sections expects of a section: a title and items with text, url and detail."""

    title: str
    items: list = field(default_factory=list)


def _on_topics(measures, minerals, countries):
    """Measures on any of `minerals` or `countries` (implementing or affected); no topics: all."""
    if not minerals and not countries:
        return measures
    through_minerals = Measure.minerals.through.objects.filter(mineral__in=minerals).values("measure")
    affected = Measure.affected_countries.through.objects.filter(country__in=countries).values("measure")
    return measures.filter(
        Q(pk__in=through_minerals) | Q(implementing_country__in=countries) | Q(pk__in=affected)
    )


def _changes(window_start, window_end):
    return MeasureChange.objects.filter(
        public=True,
        changed_at__gte=window_start,
        changed_at__lt=window_end,
        measure__status=PublicationStatus.PUBLISHED,
    )


def _countdown(days_left, state):
    what = "suspension ends" if state == "suspended" else "ends"
    if days_left == 0:
        return f"{what} today"
    return f"{what} in {days_left} day{'s' if days_left != 1 else ''}"


class MeasuresSection:
    title = "Measures"

    def has_news(self, *, window_start, window_end):
        return _changes(window_start, window_end).exists()

    def section(self, *, daily_update, minerals, countries):
        measures = _on_topics(Measure.objects.published(), minerals, countries)
        day = daily_update.date
        summaries = {}
        for change in (
            _changes(daily_update.window_start, daily_update.window_end)
            .filter(measure__in=measures)
            .order_by("changed_at", "pk")
            .only("measure_id", "summary")
        ):
            summaries.setdefault(change.measure_id, []).append(change.summary)
        items = []
        if summaries:
            for measure in (
                measures.filter(pk__in=summaries).prefetch_related("periods").order_by("title", "pk")
            ):
                status = measure.status_on(day)
                items.append(
                    DigestItem(
                        text=f"{measure.title}: {status.sentence if status else 'no dated event yet.'}",
                        url=absolute_url(measure.get_absolute_url()),
                        detail="Changed: " + "; ".join(summaries[measure.pk]),
                    )
                )
        deadlines = (
            MeasurePeriod.objects.filter(
                measure__in=measures,
                until__gte=day,
                until__lte=day + timedelta(days=settings.TRACKER_MAIL_DEADLINE_DAYS),
            )
            .covering(day)
            .select_related("measure")
            .order_by("until", "measure__title")
        )
        for period in deadlines:
            items.append(
                DigestItem(
                    text=f"{period.measure.title}: {_countdown((period.until - day).days, period.state)}",
                    url=absolute_url(period.measure.get_absolute_url()),
                    detail=f"Last day {dates.display(period.until)}.",
                )
            )
        return DigestSection(self.title, items) if items else None


measures_section = MeasuresSection()
