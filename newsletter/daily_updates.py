"""The daily update as editors and the schedule see it: what it would hold, building it with its
audience, starting its send, and the daily run that does all of it in order."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsletter import emails, selectors, sending
from newsletter.models import DailyUpdate, DailyUpdateArticle, Delivery, Subscriber


@dataclass(frozen=True)
class DailyUpdatePlan:
    date: object
    window_start: datetime
    window_end: datetime
    articles: list
    audience: int


def daily_update_plan(*, date):
    """What building the update for `date` would do, without writing anything."""
    day_start = timezone.make_aware(datetime.combine(date, time.min))
    window_end = min(
        end for end in (day_start + timedelta(days=1), timezone.now(), selectors.window_end_before(date)) if end
    )
    window_start = selectors.window_start_after(date) or day_start
    articles = list(selectors.articles_published_between(window_start, window_end)) if window_start < window_end else []
    return DailyUpdatePlan(date, window_start, window_end, articles, Subscriber.objects.active().count())


def daily_update_subject(date):
    return f"{settings.SITE_NAME} daily update, {date.day} {date:%B %Y}"


def daily_update_build(*, date):
    """The update for `date`: the existing one, a new one with its audience fixed, or None when
    nothing was published since the previous update. Returns (daily_update, created)."""
    existing = DailyUpdate.objects.filter(date=date).first()
    if existing:
        return existing, False
    plan = daily_update_plan(date=date)
    if not plan.articles:
        return None, False
    count = len(plan.articles)
    try:
        with transaction.atomic():
            daily_update = DailyUpdate.objects.create(
                date=date,
                subject=daily_update_subject(date),
                intro=f"{count} new article{'s' if count != 1 else ''} since the last update.",
                window_start=plan.window_start,
                window_end=plan.window_end,
            )
            DailyUpdateArticle.objects.bulk_create(
                DailyUpdateArticle(daily_update=daily_update, article=article, position=position)
                for position, article in enumerate(plan.articles)
            )
            # The audience is fixed now: whoever confirms later starts with tomorrow's update.
            Delivery.objects.bulk_create(
                (Delivery(daily_update=daily_update, subscriber_id=pk)
                 for pk in Subscriber.objects.active().values_list("pk", flat=True)),
                batch_size=1000,
            )
    except IntegrityError:  # another run built it first
        return DailyUpdate.objects.get(date=date), False
    return daily_update, True


def daily_update_enqueue(*, daily_update):
    """Queue every pending delivery of the update in batches. Safe to repeat: a batch only sends
    rows it can claim from `pending`. Returns counts for the report."""
    stale = sending.deliveries_mark_stale()
    DailyUpdate.objects.filter(pk=daily_update.pk, status=DailyUpdate.Status.DRAFT).update(
        status=DailyUpdate.Status.SENDING, enqueued_at=timezone.now()
    )
    pending = list(daily_update.deliveries.pending().exclude(pk__in=stale.released).values_list("pk", flat=True))
    batches = sending.deliveries_enqueue(pending)
    sending.daily_update_finish(daily_update.pk)
    return {"pending": len(pending), "batches": batches, "stale": stale.unknown}


@dataclass
class DailyRun:
    """What one daily run did, for whoever reports it (the command, the schedule's log)."""

    date: object
    daily_update: DailyUpdate | None = None
    created: bool = False
    plan: DailyUpdatePlan | None = None  # set when nothing new was published
    queued: int = 0
    batches: int = 0
    interrupted: list = field(default_factory=list)  # deliveries a dead worker left, now unknown


def daily_update_run(*, date):
    """The day's whole run: sweep what dead workers left on any day, build the update for `date`
    and queue its sending. Safe to repeat: nobody is mailed twice for a day."""
    run = DailyRun(date=date, interrupted=sending.deliveries_mark_stale().unknown)
    run.daily_update, run.created = daily_update_build(date=date)
    if run.daily_update is None:
        run.plan = daily_update_plan(date=date)
        return run
    result = daily_update_enqueue(daily_update=run.daily_update)
    run.queued, run.batches = result["pending"], result["batches"]
    run.interrupted += result["stale"]
    run.daily_update.refresh_from_db()
    return run


def daily_update_send_test(*, daily_update, email):
    """Mail an editor the update as every-topic subscribers will get it."""
    articles = list(selectors.update_articles(daily_update, live_only=False))
    return emails.preview_message(daily_update, articles, email).send()
