"""The tracker and the page cache: a tracker change drops stored pages, and a countdown is never
shown past the site's midnight, on a frozen clock."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.tracker import factories
from tracker.models import MeasureEvent
from tracker.services import measure_save

pytestmark = pytest.mark.django_db
Kind = MeasureEvent.Kind


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True


@pytest.fixture
def clock_aware_cache(settings):
    """The process-memory cache, whose entries expire by the clock the test moves; Redis keeps its own."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def hit(response):
    return response.get("X-Page-Cache") == "hit"


def test_countdown_is_not_kept_past_midnight(client, clock_aware_cache):
    """Stored at 23:59, the list is a hit until midnight, then rendered afresh with a day fewer."""
    evening = timezone.make_aware(datetime(2026, 11, 5, 23, 59, 0))
    factories.measure(events=[(Kind.SUSPENDED, date(2025, 11, 10), {"until": date(2026, 11, 10)})])
    url = reverse("tracker:list")
    with time_machine.travel(evening, tick=False):
        assert "5 days left" in client.get(url).content.decode()
        assert hit(client.get(url))
    with time_machine.travel(evening + timedelta(minutes=1, seconds=1), tick=False):
        response = client.get(url)
        assert not hit(response)
        assert "4 days left" in response.content.decode()


def test_measure_page_status_turns_at_midnight_through_the_cache(client, clock_aware_cache):
    """Stored on the suspension's last evening, a page shows it in force as scheduled after midnight."""
    measure = factories.measure(events=[(Kind.SUSPENDED, date(2025, 11, 10), {"until": date(2026, 11, 10)})])
    url = reverse("tracker:measure", args=[measure.slug])
    evening = timezone.make_aware(datetime(2026, 11, 10, 23, 30))
    with time_machine.travel(evening, tick=False):
        assert "Last day" in client.get(url).content.decode()
        assert hit(client.get(url))
    with time_machine.travel(evening + timedelta(minutes=31), tick=False):
        page = client.get(url).content.decode()
        assert "the suspension ended 10 November 2026 as scheduled; no later report" in page


def test_a_tracker_change_drops_stored_pages(client):
    """An editor's change to a measure is on its page and the list at the next request."""
    measure = factories.measure(title="Old title", events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    url = reverse("tracker:measure", args=[measure.slug])
    client.get(url)
    client.get(reverse("tracker:list"))
    assert hit(client.get(url))
    measure.title = "New title"
    measure_save(measure=measure)
    assert "New title" in client.get(url).content.decode()
    assert "New title" in client.get(reverse("tracker:list")).content.decode()
