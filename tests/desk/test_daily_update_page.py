"""The daily update page looks ahead to the next update as soon as one is sent, and a sent update is a
read-only record."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from newsletter.models import DailyUpdate
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(f.user(group="Editors"))
    return client


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_after_a_send_the_page_shows_tomorrows_update_and_what_it_would_carry(editor_client, settings):
    """An hour after the 07:00 send (its catch-up window still open), "Next send" is tomorrow's, listing
    the story published since."""
    settings.NEWSLETTER_SEND_TIME = "07:00"
    today = timezone.localdate()
    nf.daily_update(
        day=today,
        status=DailyUpdate.Status.SENT,
        window_start=at(today, 0),
        window_end=at(today, 7),
        sent_at=at(today, 7, 2),
    )
    with time_machine.travel(at(today, 8), tick=False):
        f.article(title="Cobalt talks resume", publish_at=at(today, 7, 30))
        response = editor_client.get("/admin/newsletter/dailyupdate/")
    assert timezone.localdate(response.context["next_send"].send_at) == today + timedelta(days=1)
    assert [a.title for a in response.context["next_plan"].articles] == ["Cobalt talks resume"]
    assert "Cobalt talks resume" in response.content.decode()


def test_before_the_send_the_page_shows_todays_update(editor_client, settings):
    """With today's update still a draft, the next send is today's."""
    settings.NEWSLETTER_SEND_TIME = "07:00"
    today = timezone.localdate()
    nf.daily_update(day=today)
    with time_machine.travel(at(today, 6, 30), tick=False):
        response = editor_client.get("/admin/newsletter/dailyupdate/")
    assert timezone.localdate(response.context["next_send"].send_at) == today


def test_a_sent_update_opens_read_only_without_save_buttons(editor_client):
    """A sent update's page has no Save buttons, and a POST to it changes nothing."""
    update = nf.daily_update(status=DailyUpdate.Status.SENT, subject="As sent")
    url = f"/admin/newsletter/dailyupdate/{update.pk}/change/"
    page = editor_client.get(url).content.decode()
    assert 'name="_save"' not in page and 'name="_continue"' not in page and 'name="_send_now"' not in page
    assert editor_client.post(url, {"subject": "Changed", "intro": ""}).status_code == 403
    assert DailyUpdate.objects.get(pk=update.pk).subject == "As sent"


def test_a_draft_still_has_its_buttons(editor_client):
    """A draft keeps Save and the send buttons."""
    update = nf.daily_update()
    page = editor_client.get(f"/admin/newsletter/dailyupdate/{update.pk}/change/").content.decode()
    assert 'name="_save"' in page and 'name="_send_now"' in page
