"""Open data and feeds: the exact columns, dates at their precision, status as of `on` with its basis,
the page's filters, ETags, streaming, and drafts never exported or fed."""

import csv
import io
import json
from datetime import date

import feedparser
import pytest
from django.urls import reverse

from tests.tracker import factories
from tracker.models import Measure, MeasureEvent

pytestmark = pytest.mark.django_db
Kind = MeasureEvent.Kind


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(body(response))))


@pytest.fixture
def suspended():
    rare_earths = factories.mineral(name="Rare earths")
    return factories.measure(
        title="Rare earth controls",
        slug="rare-earth-controls",
        minerals=[rare_earths],
        implementing_country=factories.country(name="China"),
        events=[
            (Kind.IN_FORCE, date(2025, 10, 9)),
            (Kind.SUSPENDED, date(2025, 11, 10), {"until": date(2026, 11, 10)}),
        ],
    )


def test_measures_csv_has_the_documented_columns_and_status_as_of_on(client, suspended):
    """measures.csv names the issue's columns and gives status, basis and until as of `on`."""
    rows = csv_rows(client.get(reverse("tracker:measures-csv"), {"on": "2026-01-01"}))
    required = ["id", "slug", "title", "kind", "direction", "implementing_country", "minerals", "instrument"]
    assert set(required + ["status", "status_basis", "status_until", "url"]) <= set(rows[0])
    row = rows[0]
    assert (row["slug"], row["status"], row["status_basis"], row["status_until"]) == (
        "rare-earth-controls",
        "suspended",
        "reported",
        "2026-11-10",
    )
    assert (row["implementing_country"], row["minerals"]) == ("China", "Rare earths")
    assert row["url"] == "https://news.example.org/tracker/rare-earth-controls/"


def test_an_until_passed_with_no_report_is_exported_as_scheduled(client, suspended):
    """After `until`, CSV and JSON say in force on a scheduled basis, naming the `until` that ran out."""
    row = csv_rows(client.get(reverse("tracker:measures-csv"), {"on": "2026-11-11"}))[0]
    assert (row["status"], row["status_basis"], row["lapsed_until"]) == (
        "in_force",
        "scheduled",
        "2026-11-10",
    )
    data = json.loads(body(client.get(reverse("tracker:measures-json"), {"on": "2026-11-11"})))
    assert data["on"] == "2026-11-11"
    assert (data["measures"][0]["status"], data["measures"][0]["status_basis"]) == ("in_force", "scheduled")


def test_events_csv_writes_dates_at_their_precision_with_article_urls(client):
    """events.csv: the issue's columns, dates as 2025 and 2026-02, and live articles' URLs."""
    story = factories.article()
    draft_story = factories.article(status="draft")
    measure = factories.measure(slug="action-plan")
    factories.event(measure=measure, kind=Kind.ANNOUNCED, day=date(2025, 5, 5), date_precision="year")
    factories.event(
        measure=measure, day=date(2026, 2, 20), date_precision="month", articles=[story, draft_story]
    )
    rows = csv_rows(client.get(reverse("tracker:events-csv")))
    assert list(rows[0]) == [
        "measure_slug",
        "date",
        "date_precision",
        "kind",
        "until",
        "summary",
        "articles",
        "measure_url",
    ]
    assert [(row["date"], row["date_precision"]) for row in rows] == [("2025", "year"), ("2026-02", "month")]
    assert rows[1]["articles"] == f"https://news.example.org{story.get_absolute_url()}"


def test_exports_take_the_pages_filters(client, suspended):
    """A mineral filter that matches nothing empties every export; one that matches keeps the row."""
    other = factories.mineral()
    for name in ("tracker:measures-csv", "tracker:events-csv"):
        assert csv_rows(client.get(reverse(name), {"mineral": other.slug})) == []
    assert (
        len(csv_rows(client.get(reverse("tracker:measures-csv"), {"mineral": suspended.minerals.get().slug})))
        == 1
    )
    assert len(csv_rows(client.get(reverse("tracker:events-csv"), {"q": "rare earth"}))) == 2


def test_drafts_are_never_exported_or_fed(client, suspended):
    """A draft measure and a draft event appear in no export and no feed."""
    factories.measure(title="Draft measure", slug="draft-measure", status=Measure.Status.DRAFT)
    factories.event(
        measure=suspended, kind=Kind.LIFTED, day=date(2026, 1, 1), summary="Draft lift", status="draft"
    )
    everything = body(client.get(reverse("tracker:measures-csv"))) + body(
        client.get(reverse("tracker:events-csv"))
    )
    everything += body(client.get(reverse("tracker:measures-json")))
    everything += client.get(reverse("tracker:feed")).content.decode()
    assert "draft-measure" not in everything and "Draft lift" not in everything
    assert client.get(reverse("tracker:measure-feed", args=["draft-measure"])).status_code == 404


def test_etag_answers_304_until_something_changes(client, suspended):
    """A client with the current ETag gets 304; after an edit it gets the new file."""
    url = reverse("tracker:measures-csv")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    factories.event(measure=suspended, kind=Kind.EXTENDED, day=date(2026, 11, 1), until=date(2027, 11, 10))
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_feeds_for_the_tracker_a_mineral_a_country_and_a_measure(client, suspended):
    """RSS and Atom of changes exist for the whole tracker, a mineral, a country and a measure."""
    mineral, country = suspended.minerals.get(), suspended.implementing_country
    urls = [
        reverse("tracker:feed"),
        reverse("tracker:feed-atom"),
        reverse("tracker:mineral-feed", args=[mineral.slug]),
        reverse("tracker:country-feed-atom", args=[country.slug]),
        reverse("tracker:measure-feed", args=[suspended.slug]),
        reverse("tracker:measure-feed-atom", args=[suspended.slug]),
    ]
    for url in urls:
        parsed = feedparser.parse(client.get(url).content)
        assert not parsed.bozo, url
        assert [entry.title for entry in parsed.entries][:1] == [
            "Rare earth controls: suspended, 10 November 2025"
        ]
    empty = factories.mineral()
    assert (
        feedparser.parse(client.get(reverse("tracker:mineral-feed", args=[empty.slug])).content).entries == []
    )
