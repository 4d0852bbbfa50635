"""The figures of the editors' readership page for a period (today, 7 days, 30 days), one query each.

Over a large archive those queries take seconds (each sums a period's rollup rows), so the figures are
kept in the shared cache: the worker's schedule queues a task that remakes each period's once they
are half READERSHIP_REPORT_SECONDS old, and the page uses kept figures younger than READERSHIP_REPORT_SECONDS,
computing them itself only when none are (no worker yet, or the cache is one process's own).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from articles.models import Article
from readership.models import ArticleReads, HourlyReads, NewsletterClicks, ReferrerReads
from readership.tasks import make_readership_figures

PERIODS = {"today": ("Today", 1), "7": ("7 days", 7), "30": ("30 days", 30)}
TOP = 20


@dataclass(frozen=True)
class Row:
    label: str
    views: int
    readers: int | None = None
    url: str = ""


@dataclass(frozen=True)
class Table:
    """One view of the figures: a chart and its table draw the same rows."""

    slug: str
    title: str
    rows: list
    # What the numbers of a row are: the first is charted, the second (rows' `readers`) only tabled.
    columns: tuple = ("Views", "Readers")

    @property
    def total(self):
        return sum(row.views for row in self.rows)


def period_days(period, today=None):
    """The first and last day of `period` (a key of PERIODS), ending today."""
    today = today or timezone.localdate()
    return today - timedelta(days=PERIODS[period][1] - 1), today


def _by(reads, field, title, slug, *, blank):
    rows = (
        reads.values(field).annotate(total=Sum("views")).filter(total__gt=0).order_by("-total", field)[:TOP]
    )
    return Table(slug, title, [Row(row[field] or blank, row["total"]) for row in rows])


def readership_report(period, *, today=None):
    """Every table of the readership page for `period`."""
    first, last = period_days(period, today)
    reads = ArticleReads.objects.filter(day__range=(first, last))
    days = {
        row["day"]: row
        for row in reads.values("day").annotate(views_sum=Sum("views"), readers_sum=Sum("readers"))
    }
    daily = Table(
        "days",
        "Views by day",
        [
            Row(
                day.isoformat(),
                days[day]["views_sum"] if day in days else 0,
                days[day]["readers_sum"] if day in days else 0,
            )
            for day in (first + timedelta(days=n) for n in range((last - first).days + 1))
        ],
    )
    top = list(
        reads.values("article_id")
        .annotate(views_sum=Sum("views"), readers_sum=Sum("readers"))
        .order_by("-views_sum", "article_id")[:TOP]
    )
    articles = Article.objects.only("title", "slug").in_bulk([row["article_id"] for row in top])
    most_read = Table(
        "articles",
        "Most-read articles",
        [
            Row(
                articles[row["article_id"]].title,
                row["views_sum"],
                row["readers_sum"],
                url=articles[row["article_id"]].get_absolute_url(),
            )
            for row in top
        ],
    )
    sites = (
        ReferrerReads.objects.filter(day__range=(first, last))
        .values("host")
        .annotate(total=Sum("views"))
        .order_by("-total", "host")[:TOP]
    )
    clicked = (
        NewsletterClicks.objects.filter(update_date__range=(first, last))
        .values("article_id", "article__title")
        .annotate(clicks_sum=Sum("clicks"), scanners_sum=Sum("scanner_clicks"))
        .order_by("-clicks_sum", "article_id")[:TOP]
    )
    newsletter = Table(
        "newsletter",
        "Daily update clicks",
        [Row(row["article__title"], row["clicks_sum"], row["scanners_sum"]) for row in clicked],
        columns=("Clicks", "Link scanners' clicks"),
    )
    return {
        "first": first,
        "last": last,
        "tables": [
            daily,
            most_read,
            _by(reads, "article__section__name", "Views by section", "sections", blank="(no section)"),
            _by(reads, "article__minerals__name", "Views by mineral", "minerals", blank="(no mineral)"),
            _by(reads, "article__countries__name", "Views by country", "countries", blank="(no country)"),
            _by(reads, "article__authors__name", "Views by author", "authors", blank="(no author)"),
            Table(
                "sites",
                "Referring sites",
                [Row(row["host"] or "(none: typed, bookmarked or an app)", row["total"]) for row in sites],
            ),
            newsletter,
        ],
    }


def first_hours(article):
    """The article's views in each of its first 48 hours, from the hour it was published."""
    start = article.publish_at.replace(minute=0, second=0, microsecond=0)
    counts = dict(
        HourlyReads.objects.filter(
            article=article, hour__gte=start, hour__lt=start + timedelta(hours=48)
        ).values_list("hour", "views")
    )
    return Table(
        "first-hours",
        "Views in the first 48 hours",
        [Row(f"{n}", counts.get(start + timedelta(hours=n), 0)) for n in range(48)],
    )


def _kept_key(period):
    return f"readership:report:{period}"


def _making_key(period):
    return f"readership:report-making:{period}"


def make_figures(period):
    """Make the figures of `period` and keep them (the task the worker's schedule queues)."""
    figures = {**readership_report(period), "made_at": timezone.now()}
    cache.set(_kept_key(period), figures, timeout=settings.READERSHIP_REPORT_SECONDS)
    cache.delete(_making_key(period))
    return figures


def kept_report(period):
    """The figures for `period`, from the cache when younger than READERSHIP_REPORT_SECONDS."""
    figures = cache.get(_kept_key(period))
    if figures is not None and timezone.now() - figures["made_at"] < timedelta(
        seconds=settings.READERSHIP_REPORT_SECONDS
    ):
        return figures
    return make_figures(period)


def refresh_reports():
    """The worker's periodic job: queue the making of each period's figures once they are half their age
    (once: a period being made is not queued again until it is done or READERSHIP_REPORT_SECONDS pass)."""
    half_age = timedelta(seconds=settings.READERSHIP_REPORT_SECONDS / 2)
    for period in PERIODS:
        figures = cache.get(_kept_key(period))
        if figures is not None and timezone.now() - figures["made_at"] < half_age:
            continue
        if cache.add(_making_key(period), 1, timeout=settings.READERSHIP_REPORT_SECONDS):
            try:
                make_readership_figures.enqueue(period=period)
            except Exception:
                cache.delete(_making_key(period))  # the next tick tries again
                raise
