"""The newsletter's schedule: what every `manage.py worker` does every WORKER_TICK_SECONDS.

Each step reads the database to see what is due and changes rows only with conditional updates,
so any number of workers on any number of machines may tick at once and each thing still happens
once. A worker that was down simply finds, when it comes back, what is overdue.
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Max
from django.utils import timezone

from core.formats import time_and_day
from newsletter import daily_updates, mail_failures, monitoring, sending, subscriptions
from newsletter.models import DailyUpdate, SignupRequest, SubscriberMail, WorkerHeartbeat

logger = logging.getLogger(__name__)


def send_time():
    """NEWSLETTER_SEND_TIME as a time of day; HH:MM or HH:MM:SS."""
    try:
        return time.fromisoformat(settings.NEWSLETTER_SEND_TIME)
    except ValueError:
        raise ImproperlyConfigured(
            "NEWSLETTER_SEND_TIME must be a time of day written HH:MM, "
            f"not {settings.NEWSLETTER_SEND_TIME!r}."
        ) from None


@dataclass(frozen=True)
class SendTimes:
    draft_at: datetime  # the review window opens: the draft is built
    send_at: datetime
    cut_off: datetime  # a worker back after this leaves the day's draft to the editors


def send_times(day):
    send_at = timezone.make_aware(datetime.combine(day, send_time()))
    return SendTimes(
        draft_at=send_at - timedelta(minutes=settings.NEWSLETTER_REVIEW_MINUTES),
        send_at=send_at,
        cut_off=send_at + timedelta(hours=settings.NEWSLETTER_CATCH_UP_HOURS),
    )


def next_send_times(now=None):
    """The times of the next send to come: today's until its cut-off, unless today's update has already
    gone (started, sent, or passed over), when editors look ahead to tomorrow's at once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    times = send_times(today)
    gone = DailyUpdate.objects.filter(date=today).exclude(status=DailyUpdate.Status.DRAFT).exists()
    return times if now <= times.cut_off and not gone else send_times(today + timedelta(days=1))


def daily_update_due(*, now=None):
    """Build today's draft once the review window opens, keep adding new articles to it, and start
    it at the send time unless an editor holds it. Returns today's update, if there is one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    times = send_times(today)
    if not times.draft_at <= now <= times.cut_off:
        return DailyUpdate.objects.filter(date=today).first()
    daily_update, created = daily_updates.daily_update_build(date=today)
    if daily_update is None or daily_update.status != DailyUpdate.Status.DRAFT:
        return daily_update
    if created:
        logger.info("Built the daily update for %s as a draft (update %s).", today, daily_update.pk)
    else:
        daily_updates.daily_update_refresh(daily_update=daily_update)
    if now >= times.send_at and not daily_update.held:
        queued = daily_updates.daily_update_release(daily_update=daily_update)
        if queued:
            logger.info("Started the daily update for %s: %d deliveries in %d batches.", today, *queued)
    return daily_update


def last_worker_tick():
    return WorkerHeartbeat.objects.aggregate(last=Max("last_tick_at"))["last"]


def daily_update_state(daily_update, *, now=None):
    """One sentence for editors: where the update stands and, when it is stuck, what happens next."""
    now = now or timezone.now()
    local = timezone.localtime
    status = daily_update.status
    if status == DailyUpdate.Status.MISSED:
        return "Not sent: a later update covers its articles."
    if status == DailyUpdate.Status.SENT:
        return f"Sent; finished at {time_and_day(daily_update.sent_at)}." if daily_update.sent_at else "Sent."
    tick = last_worker_tick()
    lease = timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    no_worker = tick is None or tick < now - lease
    worker_note = (
        (
            " No worker has been heard from"
            + (f" since {local(tick):%H:%M}" if tick else "")
            + ": start `manage.py worker`."
        )
        if no_worker
        else ""
    )
    if status == DailyUpdate.Status.DRAFT:
        if daily_update.held:
            return "Held by an editor: it does not go until released."
        times = send_times(daily_update.date)
        if now < times.send_at:
            return f"Draft: goes at {time_and_day(times.send_at)}.{worker_note}"
        if now <= times.cut_off:
            return (
                f"Due now: a worker starts it within {settings.WORKER_TICK_SECONDS:g} seconds.{worker_note}"
            )
        return (
            "Missed its send time (no worker was running): send it now, or leave it and the next "
            "update will cover its articles."
        )
    if daily_update.mail_unreachable_since:
        return f"Mail server unreachable since {local(daily_update.mail_unreachable_since):%H:%M}, retrying."
    progress = daily_update.deliveries.aggregate(claimed=Max("claimed_at"), sent=Max("sent_at"))
    last = max(
        [t for t in (progress["claimed"], progress["sent"], daily_update.enqueued_at) if t], default=None
    )
    if last and last < now - 2 * lease:
        minutes = math.ceil((settings.NEWSLETTER_LEASE_SECONDS + settings.WORKER_TICK_SECONDS) / 60)
        return (
            f"Stuck: no progress since {local(last):%H:%M}. A running worker takes a dead worker's rows "
            f"back within {minutes} minutes of its last progress.{worker_note}"
        )
    return f"Sending.{worker_note}"


def schedule_tick():
    """One pass of everything the newsletter's schedule owns."""
    now = timezone.now()
    sending.deliveries_mark_stale(now=now)
    mail_failures.mail_server_back(now=now)
    sending.deliveries_enqueue_due(now=now)
    subscriptions.signup_requests_enqueue_due(now=now)
    subscriptions.subscriber_mails_enqueue_due(now=now)
    daily_update_due(now=now)
    # A worker killed outright leaves its row behind; after a day it is history, not a worker.
    WorkerHeartbeat.objects.filter(
        started_at__lt=now - timedelta(days=1), last_tick_at__lt=now - timedelta(days=1)
    ).delete()


def worker_health(*, now=None):
    """What monitoring reads: when the schedule last ran, and counts of work that has not gone as it
    should. Counts only, never a reader's details."""
    now = now or timezone.now()
    tick = last_worker_tick()
    failed_tasks = monitoring.failed_jobs_count()
    stale = now - timedelta(seconds=2 * settings.NEWSLETTER_LEASE_SECONDS)
    health = {
        "schedule_last_ran": tick.isoformat() if tick else None,
        "failed_tasks": failed_tasks,
        "subscriber_mails_not_sent": SubscriberMail.objects.gone_wrong().count(),
        "signups_waiting": SignupRequest.objects.filter(created_at__lt=stale).count(),
        "daily_updates_stuck": sum(
            1
            for update in DailyUpdate.objects.filter(status=DailyUpdate.Status.SENDING)
            if daily_update_state(update, now=now).startswith(("Stuck", "Mail server unreachable"))
        ),
    }
    health["ok"] = bool(tick and tick >= stale) and not any(
        health[key] for key in ("subscriber_mails_not_sent", "signups_waiting", "daily_updates_stuck")
    )
    return health
