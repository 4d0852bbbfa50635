"""The daily update as editors and the schedule see it: what it would hold, building it with its
audience, starting its send, and the daily run that does all of it in order."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from newsletter import emails, sections, selectors, sending
from newsletter.models import DailyUpdate, DailyUpdateArticle, Delivery, Subscriber


@dataclass(frozen=True)
class DailyUpdatePlan:
    date: object
    window_start: datetime
    window_end: datetime
    articles: list
    audience: int
    first: bool = False  # no update has gone out before this one


def daily_update_plan(*, date):
    """What building the update for `date` would do, without writing anything."""
    day_start = timezone.make_aware(datetime.combine(date, time.min))
    window_end = min(
        end
        for end in (day_start + timedelta(days=1), timezone.now(), selectors.window_end_before(date))
        if end
    )
    window_start = selectors.window_start_after(date) or day_start
    articles = (
        list(selectors.articles_published_between(window_start, window_end))
        if window_start < window_end
        else []
    )
    first = not DailyUpdate.objects.filter(date__lt=date).covering().exists()
    return DailyUpdatePlan(
        date, window_start, window_end, articles, Subscriber.objects.active().count(), first
    )


def daily_update_subject(date):
    return f"{settings.SITE_NAME} daily update, {date.day} {date:%B %Y}"


def daily_update_intro(count, *, first=False):
    """The line above the list; the very first update has no "last update" to count from."""
    if not count:  # sent for the other sections' news alone (newsletter.sections)
        return "No new articles since the last update; here is what changed on the topics you follow."
    articles = f"{count} new article{'s' if count != 1 else ''}"
    if first:
        return f"Welcome to the first daily update, with {articles}."
    return f"{articles} since the last update."


def daily_update_build(*, date):
    """The update for `date` as a draft: the existing one, a new one, or None when nothing was
    published since the previous update and no section (newsletter.sections) has news. Returns
    (daily_update, created).

    An earlier day's draft that never went (held, or its send time missed) is superseded: its
    window no longer counts, so its articles are in this one instead.
    """
    existing = DailyUpdate.objects.filter(date=date).first()
    if existing:
        return existing, False
    DailyUpdate.objects.filter(date__lt=date, status=DailyUpdate.Status.DRAFT).update(
        status=DailyUpdate.Status.MISSED
    )
    plan = daily_update_plan(date=date)
    if not plan.articles and not (
        plan.window_start < plan.window_end
        and sections.has_news(window_start=plan.window_start, window_end=plan.window_end)
    ):
        return None, False
    try:
        with transaction.atomic():
            daily_update = DailyUpdate.objects.create(
                date=date,
                subject=daily_update_subject(date),
                intro=daily_update_intro(len(plan.articles), first=plan.first),
                window_start=plan.window_start,
                window_end=plan.window_end,
            )
            DailyUpdateArticle.objects.bulk_create(
                DailyUpdateArticle(daily_update=daily_update, article=article, position=position)
                for position, article in enumerate(plan.articles)
            )
    except IntegrityError:  # another run built it first
        return DailyUpdate.objects.get(date=date), False
    return daily_update, True


def daily_update_refresh(*, daily_update):
    """Add to a draft the articles published since it was built, unless an editor has edited its
    list (then they wait for the next update). Returns how many joined."""
    if daily_update.status != DailyUpdate.Status.DRAFT or daily_update.articles_edited:
        return 0
    plan = daily_update_plan(date=daily_update.date)
    known = set(daily_update.entries.values_list("article_id", flat=True))
    joining = [article for article in plan.articles if article.pk not in known]
    with transaction.atomic():
        moved = DailyUpdate.objects.filter(
            pk=daily_update.pk,
            status=DailyUpdate.Status.DRAFT,
            articles_edited=False,
            window_end=daily_update.window_end,
        ).update(window_end=max(plan.window_end, daily_update.window_end))
        if not moved or not joining:  # another worker refreshed it, or an editor took over the list
            return 0
        # Newest first, as when the draft was built, ahead of what was already there.
        DailyUpdateArticle.objects.bulk_create(
            [
                DailyUpdateArticle(daily_update=daily_update, article=article, position=position)
                for position, article in enumerate(joining)
            ],
            ignore_conflicts=True,
        )
        daily_update.entries.exclude(article__in=joining).update(position=F("position") + len(joining))
        if daily_update.intro == daily_update_intro(len(known), first=plan.first):
            DailyUpdate.objects.filter(pk=daily_update.pk).update(
                intro=daily_update_intro(len(known) + len(joining), first=plan.first)
            )
    daily_update.refresh_from_db()
    return len(joining)


def daily_update_release(*, daily_update):
    """Start sending a draft: fix its audience (whoever confirms later starts with the next update)
    and queue its deliveries. Does nothing unless the update is still a draft, so the schedule on
    every worker, and an editor's "send now", start it once between them. Returns the number of
    deliveries and batches queued, or None when the update was not a draft."""
    daily_update_refresh(daily_update=daily_update)
    with transaction.atomic():
        if not DailyUpdate.objects.filter(pk=daily_update.pk, status=DailyUpdate.Status.DRAFT).update(
            status=DailyUpdate.Status.SENDING, enqueued_at=timezone.now(), held=False
        ):
            return None
        Delivery.objects.bulk_create(
            (
                Delivery(daily_update=daily_update, subscriber_id=pk)
                for pk in Subscriber.objects.active().values_list("pk", flat=True)
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )
        ids = list(daily_update.deliveries.pending().order_by("pk").values_list("pk", flat=True))
        batches = sending.deliveries_enqueue(ids)
    sending.daily_update_finish(daily_update.pk)
    daily_update.refresh_from_db()
    return len(ids), batches


def daily_update_enqueue(*, daily_update):
    """Start the update if it is a draft, else queue again whatever is still pending (a run after a
    crash). Safe to repeat: a batch only sends rows it can claim from `pending`. Returns counts for the
    report."""
    stale = sending.deliveries_mark_stale()
    queued = daily_update_release(daily_update=daily_update)
    if queued is None:
        ids = list(
            daily_update.deliveries.pending()
            .exclude(pk__in=stale.released)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        queued = len(ids), sending.deliveries_enqueue(ids)
    sending.daily_update_finish(daily_update.pk)
    return {"pending": queued[0], "batches": queued[1], "stale": stale.unknown}


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
