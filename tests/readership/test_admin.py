"""The editors' readership page and the first-48-hours chart on an article's admin page."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from readership.models import ArticleReads, HourlyReads, NewsletterClicks, ReferrerReads
from readership.report import refresh_reports
from tests.support import factories as f

pytestmark = pytest.mark.django_db

PAGE = "admin:readership_articlereads_changelist"


@pytest.fixture
def editor(client):
    client.force_login(f.user(group="Editors"))
    return client


def reads(article, *, days_ago=0, views, readers=None):
    return ArticleReads.objects.create(
        article=article,
        day=timezone.localdate() - timedelta(days=days_ago),
        views=views,
        readers=views if readers is None else readers,
    )


def some_reads(n, *, mineral="Gallium"):
    """n articles, in one section, each tagged and by one author, read over the last days."""
    section, gallium, china, writer = f.section(), f.mineral(name=mineral), f.country(), f.author()
    articles = [
        f.article(section=section, minerals=[gallium], countries=[china], authors=[writer]) for _ in range(n)
    ]
    for number, article in enumerate(articles, start=1):
        reads(article, views=number * 10)
        reads(article, days_ago=3, views=number)
    ReferrerReads.objects.create(day=timezone.localdate(), host=f"{mineral.lower()}.example", views=7)
    return articles


def test_editors_see_the_most_read_articles_and_every_breakdown(editor):
    """The page lists the period's most-read articles and views by section, mineral, country, author and
    referring site, each as a chart with its table."""
    articles = some_reads(3)
    response = editor.get(reverse(PAGE), {"period": "7"})
    assert response.status_code == 200
    page = response.content.decode()
    for heading in (
        "Most-read articles",
        "Views by section",
        "Views by mineral",
        "Views by country",
        "Views by author",
        "Referring sites",
        "Views by day",
    ):
        assert f">{heading}</h2>" in page
    assert page.count('<svg class="readership-chart"') == 7  # the daily update's clicks: none yet
    assert page.index(articles[2].title) < page.index(articles[0].title)
    assert "<td>33</td>" in page  # the busiest article over 7 days: 30 + 3
    assert "<td>66</td>" in page  # the section, the mineral, the country and the author: 60 + 6


def test_today_counts_only_today(editor):
    """The period "today" leaves out the days before."""
    some_reads(2)
    page = editor.get(reverse(PAGE), {"period": "today"}).content.decode()
    assert "<td>30</td>" in page and "<td>33</td>" not in page


def test_every_view_downloads_as_csv(editor):
    """Each table comes as a CSV with its numbers; a formula-like name is written as text."""
    some_reads(2)
    response = editor.get(reverse(PAGE), {"period": "30", "csv": "minerals"})
    assert response["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [["name", "views"], ["Gallium", "33"]]
    f.article(title="=HYPERLINK(1)")
    reads(f.article(title="=SUM(A1)"), views=500)
    rows = list(csv.reader(io.StringIO(editor.get(reverse(PAGE), {"csv": "articles"}).content.decode())))
    assert rows[1] == ["'=SUM(A1)", "500", "500"]


@pytest.mark.parametrize("query", [{"period": "365"}, {"csv": "passwords"}])
def test_an_unknown_period_or_table_is_not_found(editor, query):
    """A period or table the page does not have is a 404, never a 500."""
    assert editor.get(reverse(PAGE), query).status_code == 404


def test_staff_without_the_permission_are_refused(client):
    """Writers do not see readership figures; readers are sent to sign in."""
    assert client.get(reverse(PAGE)).status_code == 302
    client.force_login(f.user(group="Writers"))
    assert client.get(reverse(PAGE)).status_code == 403
    assert b"Readership" not in client.get(reverse("admin:index")).content


def test_editors_find_readership_on_the_admin_index(editor):
    """The admin's index links to the readership page."""
    assert reverse(PAGE).encode() in editor.get(reverse("admin:index")).content


def test_the_page_costs_the_same_queries_for_few_and_many_articles(editor, django_assert_num_queries):
    """Made afresh, the figures cost one query per table however many articles were read; kept, none."""
    some_reads(2)
    editor.get(reverse(PAGE))  # warm the session and the site's settings
    for more in (0, 15):
        some_reads(more, mineral=f"Mineral {more}")
        cache.clear()  # no kept figures: the page makes them
        with django_assert_num_queries(SIGNED_IN_QUERIES + READERSHIP_FIGURES_QUERIES):
            editor.get(reverse(PAGE))
        with django_assert_num_queries(SIGNED_IN_QUERIES):
            editor.get(reverse(PAGE))


# session, user, the user's and the groups' permissions
SIGNED_IN_QUERIES = 4
# days, top articles, their titles, daily update clicks, section, mineral, country, author, referring sites
READERSHIP_FIGURES_QUERIES = 9


def test_kept_figures_are_used_until_they_are_old_and_the_worker_remakes_them(editor, settings, time_machine):
    """The page shows kept figures for READERSHIP_REPORT_SECONDS; the worker's job remakes them at half that
    age, so a read since then shows without anyone waiting for the queries."""
    settings.READERSHIP_REPORT_SECONDS = 300
    time_machine.move_to("2026-12-07 12:00:00+00:00", tick=False)
    article = f.article(title="Kept figures")
    row = reads(article, views=5)
    assert "<td>5</td>" in editor.get(reverse(PAGE)).content.decode()
    ArticleReads.objects.filter(pk=row.pk).update(views=8)
    time_machine.move_to("2026-12-07 12:02:00+00:00", tick=False)
    refresh_reports()  # younger than half their age: left as they are
    assert "<td>8</td>" not in editor.get(reverse(PAGE)).content.decode()
    time_machine.move_to("2026-12-07 12:03:00+00:00", tick=False)
    refresh_reports()
    assert "<td>8</td>" in editor.get(reverse(PAGE)).content.decode()
    ArticleReads.objects.filter(pk=row.pk).update(views=11)
    time_machine.move_to("2026-12-07 12:09:00+00:00", tick=False)  # no worker: the page makes them itself
    assert "<td>11</td>" in editor.get(reverse(PAGE)).content.decode()


def test_an_articles_admin_page_charts_its_first_48_hours(editor):
    """The change page shows the article's views hour by hour after publication, with the numbers."""
    article = f.article()
    start = article.publish_at.replace(minute=0, second=0, microsecond=0)
    HourlyReads.objects.create(article=article, hour=start, views=5)
    HourlyReads.objects.create(article=article, hour=start + timedelta(hours=2), views=9)
    page = editor.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Reads in the first 48 hours" in page
    assert "14 views in the first 48 hours" in page
    assert "the busiest was hour 2 with 9" in page
    assert '<svg class="readership-chart"' in page


def test_writers_do_not_see_the_first_hours_chart(client):
    """Without the readership permission, the article's page shows no reads."""
    article = f.article()
    client.force_login(f.user(group="Writers", superuser=False))
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Reads in the first 48 hours" not in page


def test_daily_update_clicks_are_shown_with_scanners_apart(editor):
    """The page lists each article's clicks from the daily update, and link scanners' clicks beside them."""
    article = f.article(title="Gallium licences")
    NewsletterClicks.objects.create(
        update_id=1, update_date=timezone.localdate(), article=article, clicks=12, scanner_clicks=30
    )
    page = editor.get(reverse(PAGE)).content.decode()
    assert ">Daily update clicks</h2>" in page
    assert '<th scope="col">Link scanners&#x27; clicks</th>' in page
    assert "<td>12</td><td>30</td>" in page
    rows = list(csv.reader(io.StringIO(editor.get(reverse(PAGE), {"csv": "newsletter"}).content.decode())))
    assert rows == [["name", "clicks", "link scanners' clicks"], ["Gallium licences", "12", "30"]]
