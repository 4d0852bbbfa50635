"""The daily update's schedule on a frozen clock: draft at the review window's start, send at the send
time, holds, late articles, catch-up after downtime, the cut-off, and workers ticking together."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from newsletter import schedule
from newsletter.models import DailyUpdate, Delivery
from tests.newsletter.test_concurrency import race
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


def at(hour, minute=0, second=0, day=DAY):
    return datetime.combine(day, time(hour, minute, second), tzinfo=timezone.get_current_timezone())


@pytest.fixture(autouse=True)
def send_time(settings):
    settings.NEWSLETTER_SEND_TIME, settings.NEWSLETTER_REVIEW_MINUTES, settings.NEWSLETTER_CATCH_UP_HOURS = (
        "07:00",
        60,
        6,
    )


@pytest.fixture
def clock():
    with time_machine.travel(at(5), tick=False) as traveller:
        yield traveller


def tick_at(clock, moment):
    clock.move_to(moment)
    schedule.schedule_tick()
    return DailyUpdate.objects.filter(date=timezone.localdate()).first()


def test_the_draft_is_built_when_the_review_window_opens(clock, mailoutbox):
    """At send time minus the review window, and not a second before, the day's update appears as a draft;
    nothing is mailed."""
    f.article(title="Overnight story", publish_at=at(4))
    nf.subscriber()
    assert tick_at(clock, at(5, 59, 59)) is None
    draft = tick_at(clock, at(6))
    assert draft.status == DailyUpdate.Status.DRAFT
    assert [a.title for a in draft.articles.all()] == ["Overnight story"]
    assert not draft.deliveries.exists() and mailoutbox == []


def test_the_update_goes_at_the_send_time(clock, mailoutbox):
    """The draft is sent at the send time to the active subscribers, once."""
    f.article(publish_at=at(4))
    readers = [nf.subscriber(), nf.subscriber()]
    tick_at(clock, at(6))
    assert tick_at(clock, at(6, 59, 59)).status == DailyUpdate.Status.DRAFT and mailoutbox == []
    update = tick_at(clock, at(7))
    assert update.status == DailyUpdate.Status.SENT
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers)
    tick_at(clock, at(7, 1))
    tick_at(clock, at(9))
    assert len(mailoutbox) == 2


def test_articles_published_during_review_join_the_draft(clock, mailoutbox):
    """A story published while editors review the draft joins it, newest first, and goes out with it."""
    f.article(title="Early story", publish_at=at(4))
    nf.subscriber()
    tick_at(clock, at(6))
    clock.move_to(at(6, 30))
    f.article(title="Late story", publish_at=at(6, 30))
    draft = tick_at(clock, at(6, 31))
    assert [a.title for a in draft.articles.order_by("daily_update_entries__position")] == [
        "Late story",
        "Early story",
    ]
    assert draft.intro == "Welcome to the first daily update, with 2 new articles."
    tick_at(clock, at(7))
    assert "Late story" in mailoutbox[0].body and "Early story" in mailoutbox[0].body


def test_an_edited_list_keeps_later_articles_for_the_next_update(clock, mailoutbox, admin_client):
    """Once an editor edits the draft's list in the admin, later stories wait for the next day's update."""
    keep, drop = (
        f.article(title="Kept story", publish_at=at(4)),
        f.article(title="Dropped story", publish_at=at(5)),
    )
    nf.subscriber()
    draft = tick_at(clock, at(6))
    entries = list(draft.entries.order_by("position"))
    form = {
        "subject": "Edited subject",
        "intro": "An editor's intro.",
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "2",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for n, entry in enumerate(entries):
        form.update(
            {
                f"entries-{n}-id": entry.pk,
                f"entries-{n}-daily_update": draft.pk,
                f"entries-{n}-position": n,
                f"entries-{n}-article": entry.article_id,
            }
        )
        if entry.article_id == drop.pk:
            form[f"entries-{n}-DELETE"] = "on"
    response = admin_client.post(f"/admin/newsletter/dailyupdate/{draft.pk}/change/", form)
    assert response.status_code == 302
    clock.move_to(at(6, 30))
    f.article(title="Late story", publish_at=at(6, 30))
    tick_at(clock, at(7))
    body = mailoutbox[0].body
    assert "Kept story" in body and "Dropped story" not in body and "Late story" not in body
    assert mailoutbox[0].subject == "Edited subject" and "An editor's intro." in body
    assert keep.pk in DailyUpdate.objects.get(date=DAY).entries.values_list("article_id", flat=True)
    tomorrow = tick_at(clock, at(7, day=DAY + timedelta(days=1)))
    assert [a.title for a in tomorrow.articles.all()] == ["Late story"]


def test_a_held_draft_does_not_go_until_released(clock, mailoutbox, admin_client):
    """An editor's hold keeps the draft back past the send time; released, it goes at the next tick."""
    f.article(publish_at=at(4))
    nf.subscriber()
    draft = tick_at(clock, at(6))
    admin_client.post(
        f"/admin/newsletter/dailyupdate/{draft.pk}/change/",
        {"subject": draft.subject, "intro": draft.intro, "_hold": "1", **empty_inline(draft)},
    )
    assert tick_at(clock, at(7)).status == DailyUpdate.Status.DRAFT
    tick_at(clock, at(8))
    assert mailoutbox == []
    page = admin_client.get(f"/admin/newsletter/dailyupdate/{draft.pk}/change/").content.decode()
    assert "Held by an editor" in page and 'name="_release"' in page
    admin_client.post(
        f"/admin/newsletter/dailyupdate/{draft.pk}/change/",
        {"subject": draft.subject, "intro": draft.intro, "_release": "1", **empty_inline(draft)},
    )
    assert tick_at(clock, at(8, 0, 15)).status == DailyUpdate.Status.SENT and len(mailoutbox) == 1


def test_a_draft_released_after_its_catch_up_time_goes_at_once(clock, mailoutbox, admin_client, settings):
    """Held past the cut-off, the schedule no longer starts it: the editor's release sends it, as it says."""
    f.article(publish_at=at(4))
    nf.subscriber()
    draft = tick_at(clock, at(6))
    DailyUpdate.objects.filter(pk=draft.pk).update(held=True)
    clock.move_to(at(7) + timedelta(hours=settings.NEWSLETTER_CATCH_UP_HOURS, minutes=5))
    response = admin_client.post(
        f"/admin/newsletter/dailyupdate/{draft.pk}/change/",
        {"subject": draft.subject, "intro": draft.intro, "_release": "1", **empty_inline(draft)},
        follow=True,
    )
    assert "sending now to 1 subscribers" in response.content.decode()
    clock.move_to(at(7) + timedelta(hours=settings.NEWSLETTER_CATCH_UP_HOURS, minutes=6))
    assert tick_at(clock, timezone.now()).status == DailyUpdate.Status.SENT and len(mailoutbox) == 1


def test_send_now_and_a_test_copy_from_the_draft(clock, mailoutbox, admin_client, admin_user):
    """From the draft's page an editor can mail themselves a test, then send it before its time."""
    f.article(publish_at=at(4))
    reader = nf.subscriber()
    draft = tick_at(clock, at(6))
    admin_client.post(
        f"/admin/newsletter/dailyupdate/{draft.pk}/change/",
        {"subject": draft.subject, "intro": draft.intro, "_send_test": "1", **empty_inline(draft)},
    )
    assert [m.to for m in mailoutbox] == [[admin_user.email]] and mailoutbox[0].subject.startswith("[Test]")
    admin_client.post(
        f"/admin/newsletter/dailyupdate/{draft.pk}/change/",
        {"subject": draft.subject, "intro": draft.intro, "_send_now": "1", **empty_inline(draft)},
    )
    assert [m.to for m in mailoutbox[1:]] == [[reader.email]]
    tick_at(clock, at(7))
    assert len(mailoutbox) == 2


def empty_inline(daily_update):
    """The inline's management form with its rows unchanged."""
    entries = list(daily_update.entries.order_by("position"))
    form = {
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(entries)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for n, entry in enumerate(entries):
        form.update(
            {
                f"entries-{n}-id": entry.pk,
                f"entries-{n}-daily_update": daily_update.pk,
                f"entries-{n}-position": entry.position,
                f"entries-{n}-article": entry.article_id,
            }
        )
    return form


def test_a_missed_send_catches_up_once(clock, mailoutbox):
    """A worker down from before the review window until after the send time sends the day's update when it
    comes back, once."""
    f.article(publish_at=at(4))
    nf.subscriber(), nf.subscriber()
    update = tick_at(clock, at(9, 30))
    assert update.status == DailyUpdate.Status.SENT and len(mailoutbox) == 2
    tick_at(clock, at(9, 31))
    tick_at(clock, at(12))
    assert len(mailoutbox) == 2 and Delivery.objects.count() == 2


def test_past_the_cut_off_the_day_is_left_to_the_next_update(clock, mailoutbox, admin_client):
    """Back after the cut-off, the worker sends nothing that day; a draft left over says so, and the next
    day's update covers its articles once."""
    f.article(title="Monday story", publish_at=at(4))
    nf.subscriber()
    draft = tick_at(clock, at(6))
    clock.move_to(at(13, 0, 1))  # the worker was down from 06:00 until after the 13:00 cut-off
    assert tick_at(clock, at(13, 0, 1)).status == DailyUpdate.Status.DRAFT and mailoutbox == []
    assert (
        "Missed its send time"
        in admin_client.get(f"/admin/newsletter/dailyupdate/{draft.pk}/change/").content.decode()
    )
    tomorrow = tick_at(clock, at(7, day=DAY + timedelta(days=1)))
    draft.refresh_from_db()
    assert draft.status == DailyUpdate.Status.MISSED
    assert [a.title for a in tomorrow.articles.all()] == ["Monday story"]
    assert len(mailoutbox) == 1 and tomorrow.status == DailyUpdate.Status.SENT


def test_a_day_with_nothing_published_sends_nothing(clock, mailoutbox):
    """No new article since the last update: no draft, no mail, all day."""
    nf.subscriber()
    for moment in (at(6), at(7), at(12)):
        assert tick_at(clock, moment) is None
    assert mailoutbox == []


def test_the_admin_says_what_the_next_send_will_carry(clock, admin_client):
    """The daily update list names the next send time and what it would carry so far."""
    f.article(publish_at=at(4)), f.article(publish_at=at(4, 30))
    nf.subscriber()
    body = admin_client.get("/admin/newsletter/dailyupdate/").content.decode()
    assert f"Next send: {DAY.day} {DAY:%b %Y}, 07:00" in body and "2 articles to 1 active subscriber" in body
    assert "No worker has run the schedule yet" in body


def test_a_bad_send_time_stops_the_worker_with_one_line(settings):
    """A malformed NEWSLETTER_SEND_TIME ends `manage.py worker` at once with a readable error."""
    settings.NEWSLETTER_SEND_TIME = "7am"
    with pytest.raises(CommandError, match="NEWSLETTER_SEND_TIME must be a time of day"):
        call_command("worker", stdout=StringIO())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_ticking_together_send_once(mailoutbox):
    """Four workers' schedules ticking at the same instant at the send time mail every subscriber exactly
    once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    readers = [nf.subscriber() for _ in range(12)]
    with time_machine.travel(at(7), tick=False):
        f.article(publish_at=at(4))
        race(4, schedule.schedule_tick)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers)
    assert DailyUpdate.objects.get().status == DailyUpdate.Status.SENT
