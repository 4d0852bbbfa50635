"""The beacon endpoint: who is counted, who is not, and what every answer looks like."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from articles.services import article_save
from readership.beacon import referring_host
from readership.models import ArticleReads, DailyReader, DailySalt, PendingRead, ReferrerReads
from readership.stores import flush_reads
from tests.readership.conftest import BROWSER, OTHER_BROWSER, beacon
from tests.support import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_store")]


def reads_of(article):
    return ArticleReads.objects.filter(article=article).values_list("views", "readers").first()


def test_a_known_mix_of_readers_robots_prefetches_and_opt_outs_counts_exactly():
    """Three readers (one reading twice) count four views and three readers; robots, prefetches, DNT, GPC,
    drafts and unknown ids count nothing."""
    article, draft = f.article(), f.article(status=Article.Status.DRAFT)
    answers = [
        beacon(article, address="203.0.113.1"),
        beacon(article, address="203.0.113.1"),
        beacon(article, address="203.0.113.2"),
        beacon(article, address="203.0.113.1", agent=OTHER_BROWSER),  # another browser on one network
        beacon(article, agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        beacon(article, agent="curl/8.5.0"),
        beacon(article, agent=""),
        beacon(article, headers={"Sec-Purpose": "prefetch;prerender"}),
        beacon(article, headers={"Purpose": "prefetch"}),
        beacon(article, address="203.0.113.9", headers={"DNT": "1"}),
        beacon(article, address="203.0.113.9", headers={"Sec-GPC": "1"}),
        beacon(draft),
        beacon(999999),
        beacon("not-a-number"),
        beacon("99999999999999999999999999"),
    ]
    assert {answer.status_code for answer in answers} == {204}
    assert all(answer.content == b"" for answer in answers)
    flush_reads()
    assert reads_of(article) == (4, 3)
    assert not ArticleReads.objects.filter(article=draft).exists()
    assert ArticleReads.objects.count() == 1


def test_do_not_track_and_global_privacy_control_leave_nothing_stored():
    """A browser that opts out leaves no pending read, no hashed reader and no rate-limit count."""
    article = f.article()
    beacon(article, headers={"DNT": "1"})
    beacon(article, headers={"Sec-GPC": "1"})
    assert PendingRead.objects.count() == 0
    assert DailyReader.objects.count() == 0


def test_the_beacon_refuses_other_sites_and_other_methods():
    """Another site's page cannot count reads (403), and only POST is answered."""
    article = f.article()
    assert beacon(article, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    older_browser = Client().post(
        "/beacon/",
        {"article": article.pk},
        headers={"User-Agent": BROWSER, "Origin": "https://elsewhere.example"},
    )
    assert older_browser.status_code == 403
    assert Client().get("/beacon/").status_code == 405
    assert PendingRead.objects.count() == 0


def test_the_beacon_is_never_cached_and_sets_no_cookie():
    """The answer says not to store it and carries no cookie."""
    response = beacon(f.article())
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_a_client_sending_too_many_beacons_is_refused_and_not_counted(settings, time_machine):
    """Past READERSHIP_BEACON_RATE a minute, one address gets 429 and its extra reads count nothing."""
    settings.READERSHIP_BEACON_RATE = 3
    time_machine.move_to("2026-12-07 10:00:10+00:00", tick=False)  # well inside one minute's window
    article = f.article()
    answers = [beacon(article).status_code for _ in range(5)]
    assert answers == [204, 204, 204, 429, 429]
    assert beacon(article, address="198.51.100.4").status_code == 204
    flush_reads()
    assert reads_of(article) == (4, 2)


def test_referring_sites_are_kept_as_host_names_only():
    """The page the reader came from is kept as its host, without "www." or any path or query."""
    article = f.article()
    beacon(article, came_from="https://www.example.com/search?q=gallium", address="192.0.2.1")
    beacon(article, came_from="example.com", address="192.0.2.2")
    beacon(article, came_from="news.example.net", address="192.0.2.3")
    beacon(article, address="192.0.2.4")
    flush_reads()
    row = ArticleReads.objects.get(article=article)
    assert row.referrers == {"example.com": 2, "news.example.net": 1, "": 1}
    assert dict(ReferrerReads.objects.values_list("host", "views")) == row.referrers


def test_a_read_with_redis_unreachable_is_answered_204(settings):
    """With Redis gone the beacon still answers 204 (the read is lost, never a 500)."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = beacon(f.article())
    assert response.status_code == 204


def test_a_reader_is_the_same_reader_all_day_but_not_the_next(time_machine):
    """One address and browser is one reader all day; the next day, with a new salt, a new reader."""
    time_machine.move_to("2026-12-07 09:00:00+00:00")
    article = f.article()
    beacon(article)
    time_machine.move_to("2026-12-07 22:00:00+00:00")
    beacon(article)
    first = set(DailyReader.objects.values_list("digest", flat=True))
    time_machine.move_to("2026-12-08 08:00:00+00:00")
    beacon(article)
    assert len(first) == 1
    assert set(DailyReader.objects.values_list("digest", flat=True)) - first
    flush_reads()
    assert dict(ArticleReads.objects.values_list("day__day", "readers")) == {7: 1, 8: 1}
    # The day that is over keeps neither its salt nor its hashed readers once counted.
    assert list(DailySalt.objects.values_list("day__day", flat=True)) == [8]
    assert set(DailyReader.objects.values_list("day__day", flat=True)) == {8}


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("https://WWW.Example.COM:8443/path?q=1#x", "example.com"),
        ("news.example.net", "news.example.net"),
        ("javascript:alert(1)", ""),
        ("http://[::1]/", ""),
        ("https://exa mple.com/", ""),
        ("https://" + "a" * 5000 + ".example/", ""),
        ("", ""),
    ],
)
def test_only_a_plain_host_name_is_kept_from_the_referrer(sent, kept):
    """Whatever the page sends as its referrer, at most a plain host name is kept."""
    assert referring_host(sent) == kept


def test_an_article_taken_down_stops_counting_within_seconds_and_one_going_live_counts_at_once(time_machine):
    """A live article is remembered for LIVE_SECONDS, so its beacons cost no query; taken down, it stops
    counting once that passes; a scheduled one counts from the moment it goes live."""
    from readership.views import LIVE_SECONDS

    time_machine.move_to("2026-12-07 10:00:00+00:00", tick=False)
    shown = f.article()
    due = f.article(publish_at=timezone.now() + timedelta(seconds=5))
    beacon(shown, address="192.0.2.1")
    beacon(due, address="192.0.2.1")
    shown.status = Article.Status.DRAFT
    article_save(article=shown)
    beacon(shown, address="192.0.2.2")  # remembered as live a moment ago
    time_machine.shift(LIVE_SECONDS + 1)
    beacon(shown, address="192.0.2.3")
    beacon(due, address="192.0.2.3")
    flush_reads()
    assert reads_of(shown) == (2, 2)
    assert reads_of(due) == (1, 1)


def test_beacons_from_one_ipv6_network_share_one_limit(settings, time_machine):
    """A client rotating addresses within its /64 is one client to the beacon's limit, as to every
    per-address limit; a neighbouring /64 is still counted."""
    settings.READERSHIP_BEACON_RATE = 3
    time_machine.move_to("2026-12-07 10:00:10+00:00", tick=False)
    article = f.article()
    answers = [beacon(article, address=f"2001:db8:7:1::{n}").status_code for n in range(1, 6)]
    assert answers == [204, 204, 204, 429, 429]
    assert beacon(article, address="2001:db8:7:2::1").status_code == 204
