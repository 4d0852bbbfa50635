"""The tracker's public pages: filters and `on`, deadlines ahead, a measure's page with its timeline,
accounts and changes, drafts never shown, and query counts that stay put as measures grow."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.tracker import factories
from tracker import dates
from tracker.models import EventAccount, Measure, MeasureEvent
from tracker.services import measure_save

pytestmark = pytest.mark.django_db
Kind = MeasureEvent.Kind


def listed(response):
    return [measure.slug for measure, _ in response.context["rows"]]


def test_list_filters_by_mineral_country_kind_direction_and_status(client):
    """Each filter narrows the list; a country matches as implementer or as affected."""
    gallium, china, usa = factories.mineral(name="Gallium"), factories.country(), factories.country()
    licensing = factories.measure(
        minerals=[gallium], implementing_country=china, events=[(Kind.IN_FORCE, date(2023, 8, 1))]
    )
    tariff = factories.measure(
        kind=Measure.Kind.IMPORT_TARIFF,
        direction=Measure.Direction.LIBERALISING,
        affected=[china],
        implementing_country=usa,
        events=[(Kind.ANNOUNCED, date(2023, 8, 1))],
    )
    url = reverse("tracker:list")
    assert listed(client.get(url, {"mineral": gallium.slug})) == [licensing.slug]
    assert sorted(listed(client.get(url, {"country": china.slug}))) == sorted([licensing.slug, tariff.slug])
    assert listed(client.get(url, {"country": usa.slug})) == [tariff.slug]
    assert listed(client.get(url, {"kind": "import_tariff"})) == [tariff.slug]
    assert listed(client.get(url, {"direction": "restrictive"})) == [licensing.slug]
    assert listed(client.get(url, {"status": "in_force"})) == [licensing.slug]
    assert listed(client.get(url, {"status": "announced"})) == [tariff.slug]
    assert listed(client.get(url, {"mineral": "no-such-mineral"})) == []


def test_on_shows_what_was_in_force_that_day(client):
    """`on` moves the status filter and each row's status to that day."""
    measure = factories.measure(
        events=[
            (Kind.IN_FORCE, date(2023, 8, 1)),
            (Kind.SUSPENDED, date(2025, 11, 10), {"until": date(2026, 11, 10)}),
        ]
    )
    url = reverse("tracker:list")
    response = client.get(url, {"status": "in_force", "on": "2024-01-01"})
    assert listed(response) == [measure.slug]
    assert "status on 1 January 2024" in response.content.decode()
    assert listed(client.get(url, {"status": "in_force", "on": "2025-12-01"})) == []
    assert listed(client.get(url, {"status": "in_force", "on": "2023-07-31"})) == []


def test_bad_on_date_is_explained_not_an_error(client):
    """A malformed `on` gets a 200 page saying what is wrong, and the list as of today."""
    factories.measure(events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    response = client.get(reverse("tracker:list"), {"on": "2024-13-45"})
    assert response.status_code == 200
    assert "is not a date written as YYYY-MM-DD" in response.content.decode()
    assert response.context["on"] == dates.today()
    assert len(response.context["rows"]) == 1


def test_deadlines_ahead_lists_untils_within_30_days_with_days_left(client):
    """Every current `until` in the next 30 days shows first with its days left; later ones do not."""
    today = dates.today()
    soon = factories.measure(
        title="Soon ends",
        events=[(Kind.SUSPENDED, today - timedelta(days=5), {"until": today + timedelta(days=3)})],
    )
    factories.measure(
        title="Far off",
        events=[(Kind.SUSPENDED, today - timedelta(days=5), {"until": today + timedelta(days=90)})],
    )
    response = client.get(reverse("tracker:list"))
    assert [(measure.slug, left) for measure, _, left in response.context["deadlines"]] == [(soon.slug, 3)]
    page = response.content.decode()
    assert page.index("Deadlines ahead") < page.index("Find measures")
    assert "3 days left" in page


def test_search_finds_measures_by_title_instrument_and_mineral(client):
    """?q= matches the title, the instrument ("Announcement 70") and a mineral's name."""
    antimony = factories.mineral(name="Antimony")
    by_instrument = factories.measure(
        title="Suspension of controls", instrument="MOFCOM Announcement No. 70 [2025]"
    )
    by_mineral = factories.measure(title="Licensing", minerals=[antimony])
    url = reverse("tracker:list")
    assert listed(client.get(url, {"q": "Announcement 70"})) == [by_instrument.slug]
    assert listed(client.get(url, {"q": "antimony"})) == [by_mineral.slug]
    assert listed(client.get(url, {"q": "suspension"})) == [by_instrument.slug]


def test_drafts_never_show_on_pages(client):
    """A draft measure is not listed and its page is a 404; a draft event is absent from a live page."""
    draft = factories.measure(title="Secret draft measure", status=Measure.Status.DRAFT)
    live = factories.measure(events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    factories.event(
        measure=live, kind=Kind.LIFTED, day=date(2024, 1, 1), summary="Draft lifting", status="draft"
    )
    assert "Secret draft measure" not in client.get(reverse("tracker:list")).content.decode()
    assert client.get(reverse("tracker:measure", args=[draft.slug])).status_code == 404
    page = client.get(reverse("tracker:measure", args=[live.slug])).content.decode()
    assert (
        "Draft lifting" not in page
        and "Lifted" not in page.split("Changes to this record")[0].split("Events")[1]
    )


def test_measure_page_shows_status_timeline_accounts_articles_and_changes(client):
    """The page has the status line, an SVG timeline with its table, accounts side by side, the reporting
    articles, Legislation JSON-LD and the public changes."""
    story = factories.article(title="The reprieve nears its end")
    white_house, mofcom = factories.source(name="White House"), factories.source(name="MOFCOM")
    measure = factories.measure(
        title="Rare earth controls",
        instrument="Announcement No. 61 [2025]",
        events=[(Kind.IN_FORCE, date(2025, 10, 9))],
    )
    factories.event(
        measure=measure,
        kind=Kind.SUSPENDED,
        day=date(2025, 11, 10),
        until=date(2026, 11, 10),
        articles=[story],
        accounts=[
            (white_house, "General licences will be issued."),
            (mofcom, "Licences are still required."),
        ],
    )
    measure.title = "Rare earth export controls"
    measure_save(measure=measure, user=factories.user(group="Editors"))
    page = client.get(reverse("tracker:measure", args=[measure.slug])).content.decode()
    assert "<svg" in page and "<caption>Periods" in page
    assert "General licences will be issued." in page and "Licences are still required." in page
    assert story.get_absolute_url() in page
    assert (
        '"@type": "Legislation"' in page and '"legislationIdentifier": "Announcement No. 61 [2025]"' in page
    )
    assert "Changes to this record" in page and "Changed title" in page
    assert EventAccount.objects.count() == 2


def test_list_query_count_is_constant(client, django_assert_num_queries):
    """The list costs the same number of queries for 2 measures as for 12, filters and `on` included."""
    mineral = factories.mineral()
    for _ in range(2):
        factories.measure(minerals=[mineral], events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    url = reverse("tracker:list") + f"?mineral={mineral.slug}&status=in_force&on=2024-01-01"
    client.get(url)  # site-wide pieces read once per process
    with django_assert_num_queries(7):
        client.get(url)
    for _ in range(10):
        factories.measure(minerals=[mineral], events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    with django_assert_num_queries(7):
        assert len(client.get(url).context["rows"]) == 12


def test_measure_page_query_count_is_constant(client, django_assert_num_queries):
    """A measure page costs the same queries with one event as with many, accounts and articles included."""
    measure = factories.measure(events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    url = reverse("tracker:measure", args=[measure.slug])
    with django_assert_num_queries(9):
        client.get(url)
    source = factories.source()
    for month in range(2, 8):
        factories.event(
            measure=measure,
            kind=Kind.AMENDED,
            day=date(2024, month, 1),
            articles=[factories.article()],
            accounts=[(source, "It says so.")],
        )
    with django_assert_num_queries(9):
        client.get(url)


def test_a_year_precision_event_is_shown_and_marked_up_as_the_year(client):
    """An event known to the year reads "2025" and its <time> says 2025, never 1 January."""
    measure = factories.measure(events=[(Kind.IN_FORCE, date(2025, 6, 1), {"date_precision": "year"})])
    page = client.get(reverse("tracker:measure", args=[measure.slug])).content.decode()
    assert '<time datetime="2025">2025</time>' in page
    assert "1 January 2025" not in page and "In force since 2025." in page


@pytest.mark.parametrize(
    "query",
    [
        {"on": "2024-02-30"},
        {"on": "99999-01-01"},
        {"on": "<script>"},
        {"page": "999"},
        {"page": "abc"},
        {"q": "x" * 500},
        {"mineral": "<script>alert(1)</script>"},
        {"status": "bogus", "kind": "nope", "direction": "sideways"},
    ],
)
def test_hostile_filters_get_a_page_never_an_error(client, query):
    """Malformed filters and pages answer 200 with the list, never a 400 or 500, and echo nothing raw."""
    factories.measure(events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    response = client.get(reverse("tracker:list"), query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    for name in ("tracker:measures-csv", "tracker:events-csv", "tracker:measures-json"):
        assert client.get(reverse(name), query).status_code == 200
