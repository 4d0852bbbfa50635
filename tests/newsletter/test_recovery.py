"""Sending through faults: refusals and outages retried with backoff, dead workers' rows recovered
within the lease, lost jobs queued again; never a message sent twice."""

import smtplib
from datetime import datetime, time, timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.utils import timezone

from newsletter import schedule, sending
from newsletter.models import DailyUpdate, Delivery
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - timedelta(days=1)


@pytest.fixture(autouse=True)
def no_daily_send(settings):
    """These tests tick the schedule for its recovery work; the day's own draft and send stay out of the
    way."""
    settings.NEWSLETTER_SEND_TIME, settings.NEWSLETTER_REVIEW_MINUTES, settings.NEWSLETTER_CATCH_UP_HOURS = (
        "00:00",
        0,
        0,
    )


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("send_daily_update", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sending_update(readers, **fields):
    return nf.daily_update(
        articles=[f.article()], audience=readers, status="sending", enqueued_at=timezone.now(), **fields
    )


class UnreachableBackend(locmem.EmailBackend):
    """A mail server that refuses every connection while `down`, counting the tries."""

    opened = 0
    down = True

    def open(self):
        UnreachableBackend.opened += 1
        if UnreachableBackend.down:
            raise ConnectionRefusedError("Connection refused")
        return True


def test_resume_after_crash_marks_interrupted_rows_unknown_and_sends_the_rest(mailoutbox):
    """Rows a dead worker left in `sending` are reported by id, not resent; pending rows still go."""
    crashed, working, waiting = nf.subscriber(email="crashed@example.org"), nf.subscriber(), nf.subscriber()
    update = nf.daily_update(
        day=DAY, articles=[f.article()], audience=[crashed, working, waiting], status="sending"
    )
    lost = update.deliveries.get(subscriber=crashed)
    update.deliveries.filter(subscriber=crashed).update(
        status=Delivery.Status.SENDING,
        claimed_at=timezone.now() - timedelta(hours=2),
        attempts=1,
        message_id="<handed-over@news.example.org>",
    )
    update.deliveries.filter(subscriber=working).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )
    out, err = run("--date", DAY.isoformat())
    assert [m.to for m in mailoutbox] == [[waiting.email]]
    statuses = dict(update.deliveries.values_list("subscriber__email", "status"))
    assert statuses == {crashed.email: "unknown", working.email: "sending", waiting.email: "sent"}
    assert (
        f"delivery {lost.pk} (subscriber {crashed.pk}, {DAY})" in err and "1 delivery was interrupted" in err
    )
    assert "@" not in err.replace("<handed-over@", "")  # ids, never addresses
    # The second run after the live worker finishes still sends nobody twice.
    update.deliveries.filter(subscriber=working).update(status=Delivery.Status.SENT)
    run("--date", DAY.isoformat())
    assert len(mailoutbox) == 1
    assert DailyUpdate.objects.get().status == DailyUpdate.Status.SENT


def test_a_crash_on_an_earlier_day_is_reported_by_the_next_run(mailoutbox):
    """Rows a dead worker left on yesterday's update are marked unknown and named by today's run, even an
    empty one."""
    earlier = nf.daily_update(
        day=DAY - timedelta(days=1),
        articles=[f.article(publish_at=timezone.now() - timedelta(days=9))],
        audience=[nf.subscriber()],
        status="sending",
    )
    earlier.deliveries.update(
        status=Delivery.Status.SENDING,
        claimed_at=timezone.now() - timedelta(hours=5),
        attempts=1,
        message_id="<handed-over@news.example.org>",
    )
    delivery = earlier.deliveries.get()
    out, err = run("--date", DAY.isoformat())
    assert "No new articles" in out
    assert "1 delivery was interrupted" in err and f"delivery {delivery.pk} (subscriber" in err
    assert earlier.deliveries.get().status == Delivery.Status.UNKNOWN
    earlier.refresh_from_db()
    assert earlier.status == DailyUpdate.Status.SENT and mailoutbox == []


def test_rows_a_dead_worker_never_handed_over_are_sent_by_the_next_run(mailoutbox):
    """A stale `sending` row with no Message-ID never reached the mail server, so the next run sends it."""
    earlier = nf.daily_update(
        day=DAY - timedelta(days=1),
        articles=[f.article(publish_at=timezone.now() - timedelta(days=9))],
        audience=[nf.subscriber(email="untried@example.org")],
        status="sending",
    )
    earlier.deliveries.update(status=Delivery.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=5))
    out, err = run("--date", DAY.isoformat())
    assert [m.to for m in mailoutbox] == [["untried@example.org"]]
    delivery = earlier.deliveries.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert err == ""
    earlier.refresh_from_db()
    assert earlier.status == DailyUpdate.Status.SENT


def test_a_slow_worker_skips_a_row_the_sweep_released(mailoutbox):
    """A worker still holding a row that was released as stale does not send it: the new holder does."""
    update = sending_update([nf.subscriber()])
    ids = list(update.deliveries.values_list("pk", flat=True))
    real_claim = sending.deliveries_claim
    stalled = []

    def claim_then_stall(delivery_ids, **kwargs):
        claimed = list(real_claim(delivery_ids, **kwargs))
        if not stalled:
            stalled.append(True)
            # While this worker stalls, the sweep releases the row and another worker sends it.
            Delivery.objects.filter(pk__in=ids).update(claimed_at=timezone.now() - timedelta(hours=2))
            sending.deliveries_mark_stale()
        return claimed

    with mock.patch.object(sending, "deliveries_claim", claim_then_stall):
        counts = sending.deliveries_send_batch(delivery_ids=ids)
    assert counts["sent"] == 0 and len(mailoutbox) == 1
    assert update.deliveries.get().status == Delivery.Status.SENT


def test_refusals_are_retried_with_backoff_a_bounded_number_of_times(mailoutbox, settings):
    """A message the server keeps refusing is tried NEWSLETTER_MAX_ATTEMPTS times, 30 s then 60 s apart, then
    left failed."""
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    refuse = smtplib.SMTPRecipientsRefused({"x": (550, b"no such mailbox")})
    with time_machine.travel(
        datetime(2026, 3, 2, 7, 0, tzinfo=timezone.get_current_timezone()), tick=False
    ) as clock:
        update = sending_update([nf.subscriber()])
        with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=refuse) as send:
            sending.deliveries_enqueue(list(update.deliveries.values_list("pk", flat=True)))
            delivery = Delivery.objects.get()
            assert (send.call_count, delivery.status, delivery.next_attempt_at) == (
                1,
                Delivery.Status.PENDING,
                timezone.now() + timedelta(seconds=30),
            )
            clock.shift(29)
            schedule.schedule_tick()
            assert send.call_count == 1  # not yet due
            clock.shift(2)
            schedule.schedule_tick()
            assert send.call_count == 2
            clock.shift(61)
            schedule.schedule_tick()
            clock.shift(600)
            schedule.schedule_tick()
    delivery.refresh_from_db()
    assert send.call_count == 3
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    assert "SMTPRecipientsRefused" in delivery.error and delivery.message_id == ""
    assert mailoutbox == [] and DailyUpdate.objects.get().status == DailyUpdate.Status.SENT


def test_a_passing_failure_is_retried_and_sent(mailoutbox):
    """A message refused once (a temporary 451) goes out on its retry, with both attempts counted and no error
    left."""
    real_send = locmem.EmailBackend.send_messages
    calls = []

    def flaky(backend, messages):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPDataError(451, "Try again later")
        return real_send(backend, messages)

    with (
        time_machine.travel(timezone.now(), tick=False) as clock,
        mock.patch.object(locmem.EmailBackend, "send_messages", flaky),
    ):
        update = sending_update([nf.subscriber()])
        sending.deliveries_enqueue(list(update.deliveries.values_list("pk", flat=True)))
        clock.shift(31)
        schedule.schedule_tick()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.error) == (Delivery.Status.SENT, 2, "")
    assert len(mailoutbox) == 1
    assert DailyUpdate.objects.get().status == DailyUpdate.Status.SENT


def test_an_unreachable_server_holds_the_batch_and_resumes_when_it_is_back(
    settings, mailoutbox, admin_client
):
    """One refused connection holds the whole batch (nothing handed over, no attempt spent); the admin says
    since
    when; the first retry after the server is back sends everyone once."""
    settings.EMAIL_BACKEND = "tests.newsletter.test_recovery.UnreachableBackend"
    UnreachableBackend.opened, UnreachableBackend.down = 0, True
    with time_machine.travel(
        datetime(2026, 3, 2, 10, 42, tzinfo=timezone.get_current_timezone()), tick=False
    ) as clock:
        update = sending_update([nf.subscriber() for _ in range(3)])
        sending.deliveries_enqueue(list(update.deliveries.values_list("pk", flat=True)))
        assert UnreachableBackend.opened == 1  # one try for the batch, not one per message
        assert set(update.deliveries.values_list("status", "attempts")) == {(Delivery.Status.PENDING, 0)}
        update.refresh_from_db()
        assert update.mail_unreachable_since == timezone.now() and update.status == DailyUpdate.Status.SENDING
        page = admin_client.get(f"/admin/newsletter/dailyupdate/{update.pk}/change/").content.decode()
        assert "Mail server unreachable since 10:42, retrying" in page
        clock.shift(61)
        schedule.schedule_tick()
        assert UnreachableBackend.opened == 2 and mailoutbox == []
        UnreachableBackend.down = False
        clock.shift(61)
        schedule.schedule_tick()
    assert len(mailoutbox) == 3 and len({m.to[0] for m in mailoutbox}) == 3
    update.refresh_from_db()
    assert update.status == DailyUpdate.Status.SENT and update.mail_unreachable_since is None
    assert set(update.deliveries.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}


def test_a_dead_workers_rows_are_recovered_within_the_lease(settings, mailoutbox):
    """A worker killed after stamping its first chunk: that chunk is reported unknown, the rest of its batch
    is
    sent by the next tick once the lease (two minutes) has run out, and nothing sooner."""
    settings.NEWSLETTER_LEASE_SECONDS = 120
    with time_machine.travel(timezone.now(), tick=False) as clock:
        update = sending_update([nf.subscriber() for _ in range(settings.NEWSLETTER_CHUNK_SIZE + 5)])
        ids = list(update.deliveries.order_by("pk").values_list("pk", flat=True))
        batch = sending.Batch(list(sending.deliveries_claim(ids, token="dead-worker")), "dead-worker")
        batch.stamp(batch.deliveries[: settings.NEWSLETTER_CHUNK_SIZE])  # then the worker is killed
        clock.shift(119)
        schedule.schedule_tick()
        assert mailoutbox == [] and not update.deliveries.unknown().exists()
        clock.shift(2)
        schedule.schedule_tick()
    assert len(mailoutbox) == 5
    assert update.deliveries.unknown().count() == settings.NEWSLETTER_CHUNK_SIZE
    assert update.deliveries.filter(status=Delivery.Status.SENT).count() == 5
    assert {m.to[0] for m in mailoutbox}.isdisjoint(
        update.deliveries.unknown().values_list("subscriber__email", flat=True)
    )


def test_a_lost_job_is_queued_again(settings, mailoutbox):
    """Pending rows whose queued job never ran (a queue outage, a worker killed before its claim) go out
    anyway."""
    settings.NEWSLETTER_LEASE_SECONDS = 120
    with time_machine.travel(timezone.now(), tick=False) as clock:
        update = sending_update([nf.subscriber(), nf.subscriber()])
        update.deliveries.update(queued_at=timezone.now())  # queued, and the job is lost
        clock.shift(3 * 120 - 1)
        schedule.schedule_tick()
        assert mailoutbox == []
        clock.shift(2)
        schedule.schedule_tick()
    assert len(mailoutbox) == 2 and DailyUpdate.objects.get().status == DailyUpdate.Status.SENT


def test_a_connection_broken_mid_chunk_sends_the_rest_once(mailoutbox, settings):
    """When the connection drops, the row in flight waits for the server without spending an attempt, and the
    rows not yet handed over go at once."""
    real_send = locmem.EmailBackend.send_messages
    calls = []

    def drops_second(backend, messages):
        calls.append(messages[0].to[0])
        if len(calls) == 2:
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return real_send(backend, messages)

    readers = [nf.subscriber() for _ in range(4)]
    update = sending_update(readers)
    with mock.patch.object(locmem.EmailBackend, "send_messages", drops_second):
        sending.deliveries_enqueue(list(update.deliveries.values_list("pk", flat=True)))
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers if r.email != calls[1])
    dropped = update.deliveries.get(subscriber__email=calls[1])
    assert (dropped.status, dropped.attempts, dropped.message_id) == (Delivery.Status.PENDING, 0, "")
    assert set(update.deliveries.exclude(pk=dropped.pk).values_list("attempts", flat=True)) == {1}


def test_a_day_old_update_gives_up_what_never_went(mailoutbox):
    """Rows still waiting a day after the send started are failed with a reason rather than mailed a day
    late."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        update = sending_update([nf.subscriber()])
        update.deliveries.update(next_attempt_at=timezone.now() + timedelta(hours=30))
        clock.shift(24 * 3600 + 1)
        schedule.schedule_tick()
    delivery = update.deliveries.get()
    assert delivery.status == Delivery.Status.FAILED and "24 hours" in delivery.error and mailoutbox == []
    update.refresh_from_db()
    assert update.status == DailyUpdate.Status.SENT


def test_send_times_follow_the_settings(settings):
    """The draft opens NEWSLETTER_REVIEW_MINUTES before NEWSLETTER_SEND_TIME; the cut-off follows it by the
    catch-up hours."""
    settings.NEWSLETTER_SEND_TIME, settings.NEWSLETTER_REVIEW_MINUTES, settings.NEWSLETTER_CATCH_UP_HOURS = (
        "06:30",
        45,
        4,
    )
    times = schedule.send_times(DAY)
    tz = timezone.get_current_timezone()
    assert times.send_at == datetime.combine(DAY, time(6, 30), tzinfo=tz)
    assert times.draft_at == datetime.combine(DAY, time(5, 45), tzinfo=tz)
    assert times.cut_off == datetime.combine(DAY, time(10, 30), tzinfo=tz)
