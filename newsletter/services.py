"""Newsletter workflows: signing up, confirming, leaving, and building and sending the daily update."""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from newsletter import emails, selectors, tasks, tokens
from newsletter.invalidation import ARCHIVE
from newsletter.models import DailyUpdate, DailyUpdateArticle, Delivery, Subscriber
from core import page_cache, ratelimit

logger = logging.getLogger(__name__)


# Subscribers


def _subscriber_get_or_create(email, defaults):
    """One row per address, even when two signups for it race: the loser of the insert reads the winner's row."""
    existing = Subscriber.objects.with_email(email).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email, **defaults), True
    except IntegrityError:
        return Subscriber.objects.with_email(email).get(), False


def _claim_daily_mail_slot(subscriber):
    """True for at most one caller per address per day, however many signups arrive at once."""
    now = timezone.now()
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            Q(last_confirmation_sent_at__isnull=True)
            | Q(last_confirmation_sent_at__lte=now - timedelta(days=1))
        )
        .update(last_confirmation_sent_at=now)
    )


def subscriber_signup(*, email, minerals=(), countries=(), ip_hash="", user_agent="", source=""):
    """Record a signup and send what the address needs, telling the caller nothing about its state.

    New, pending and unsubscribed addresses get a confirmation link; an active one gets a note
    with its own links instead. Either way at most one mail a day goes to an address.
    `minerals` and `countries` are tags or their ids. The signup view runs this in a task
    (`tasks.record_signup`), so the request does the same work whatever the address's state.
    """
    email = email.strip()
    if not ratelimit.allow("newsletter-signup-address", email.lower(),
                           limit=settings.NEWSLETTER_SIGNUP_ADDRESS_LIMIT, window=3600):
        return None
    subscriber, _created = _subscriber_get_or_create(email, {
        "signup_ip_hash": ip_hash,
        "signup_user_agent": user_agent[:300],
        "signup_source": source[:300],
    })
    if not subscriber.is_active:
        # Topics of an active subscriber change only through the signed link in their mail.
        subscriber.minerals.set(minerals)
        subscriber.countries.set(countries)
    if _claim_daily_mail_slot(subscriber):
        kind = "already_subscribed" if subscriber.is_active else "confirm"
        tasks.send_subscriber_mail.enqueue(subscriber_id=subscriber.pk, kind=kind)
    return subscriber


def subscriber_mail_send(*, subscriber_id, kind):
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    build = {
        "confirm": emails.confirmation_message,
        "already_subscribed": emails.already_subscribed_message,
        "welcome": emails.welcome_message,
    }[kind]
    try:
        build(subscriber).send()
    except Exception:
        if kind != "welcome":
            # The mail never left, so today's slot goes back: the reader can ask again at once.
            Subscriber.objects.filter(pk=subscriber.pk).update(last_confirmation_sent_at=None)
        raise
    return True


def subscriber_for_token(*, purpose, token):
    """The subscriber a valid token names, or InvalidToken."""
    payload = tokens.read(purpose, token)
    subscriber = Subscriber.objects.filter(pk=payload["id"]).first()
    if subscriber is None:
        raise tokens.InvalidToken("No such subscriber.")
    if purpose == tokens.CONFIRM and subscriber.unsubscribed_at and (
        int(subscriber.unsubscribed_at.timestamp() * 1_000_000) >= payload["at"]
    ):
        raise tokens.InvalidToken("The link was sent before the subscriber left.")
    return subscriber


def subscriber_confirm(*, token):
    """Activate the subscriber a confirmation token names; idempotent. Returns (subscriber, newly_active)."""
    subscriber = subscriber_for_token(purpose=tokens.CONFIRM, token=token)
    changed = Subscriber.objects.filter(pk=subscriber.pk).exclude(status=Subscriber.Status.ACTIVE).update(
        status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now()
    )
    if changed:
        tasks.send_subscriber_mail.enqueue(subscriber_id=subscriber.pk, kind="welcome")
    subscriber.refresh_from_db()
    return subscriber, bool(changed)


def subscriber_unsubscribe(*, token):
    """Unsubscribe at once; idempotent. Returns the subscriber."""
    subscriber = subscriber_for_token(purpose=tokens.UNSUBSCRIBE, token=token)
    Subscriber.objects.filter(pk=subscriber.pk).exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    subscriber.refresh_from_db()
    return subscriber


def subscriber_set_topics(*, subscriber, minerals, countries):
    subscriber.minerals.set(minerals)
    subscriber.countries.set(countries)
    return subscriber


# The daily update


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


@dataclass(frozen=True)
class StaleSweep:
    unknown: list  # Delivery rows flagged for an editor
    released: list  # ids of rows queued again


def deliveries_mark_stale():
    """Deliveries left in `sending` by a worker that died, on any day's update. A row whose message
    was handed to the mail server (it has a Message-ID) has an unknown outcome, so it is flagged for
    an editor rather than sent again; a row the worker never got to is queued again."""
    cutoff = timezone.now() - timedelta(seconds=settings.NEWSLETTER_SENDING_STALE_AFTER)
    stale = Delivery.objects.sending().filter(claimed_at__lt=cutoff)
    untried = list(stale.filter(message_id="").values_list("pk", flat=True))
    # The status and Message-ID filters stay on each update, so a row a slow worker is handing over
    # or has finished meanwhile keeps what the worker gave it.
    stale.filter(pk__in=untried, message_id="").update(status=Delivery.Status.PENDING)
    released = list(Delivery.objects.pending().filter(pk__in=untried).values_list("pk", flat=True))
    _enqueue_batches(released)
    ids = list(stale.values_list("pk", flat=True))
    stale.filter(pk__in=ids).update(
        status=Delivery.Status.UNKNOWN, error="The worker stopped while sending; the message may or may not have gone."
    )
    rows = list(Delivery.objects.unknown().filter(pk__in=ids).select_related("daily_update", "subscriber"))
    for update_id in {row.daily_update_id for row in rows}:
        _daily_update_finish(update_id)
    return StaleSweep(unknown=rows, released=released)


def _enqueue_batches(delivery_ids, *, run_after=None):
    size = settings.NEWSLETTER_BATCH_SIZE
    batches = [delivery_ids[i:i + size] for i in range(0, len(delivery_ids), size)]
    task = tasks.send_delivery_batch
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    for batch in batches:
        task.enqueue(delivery_ids=batch)
    return len(batches)


def daily_update_enqueue(*, daily_update):
    """Queue every pending delivery of the update in batches. Safe to repeat: a batch only sends
    rows it can claim from `pending`. Returns counts for the report."""
    stale = deliveries_mark_stale()
    DailyUpdate.objects.filter(pk=daily_update.pk, status=DailyUpdate.Status.DRAFT).update(
        status=DailyUpdate.Status.SENDING, enqueued_at=timezone.now()
    )
    pending = list(daily_update.deliveries.pending().exclude(pk__in=stale.released).values_list("pk", flat=True))
    batches = _enqueue_batches(pending)
    _daily_update_finish(daily_update.pk)
    return {"pending": len(pending), "batches": batches, "stale": stale.unknown}


def _daily_update_finish(daily_update_id):
    if not Delivery.objects.filter(daily_update_id=daily_update_id).unfinished().exists():
        if DailyUpdate.objects.filter(pk=daily_update_id, status=DailyUpdate.Status.SENDING).update(
            status=DailyUpdate.Status.SENT, sent_at=timezone.now()
        ):
            page_cache.invalidate(ARCHIVE)  # the update joins the public archive


def deliveries_claim(delivery_ids):
    """Move the rows no other worker holds from pending to sending, in one transaction.

    The lock covers the delivery rows alone: no ordering or join may bring the daily update's row
    into it, or a batch claiming while another holds that row would skip every row of its own.
    """
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .order_by()
            .filter(pk__in=delivery_ids, status=Delivery.Status.PENDING)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=claimed).update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return (
        Delivery.objects.filter(pk__in=claimed)
        .select_related("daily_update", "subscriber")
        .prefetch_related("subscriber__minerals", "subscriber__countries")
    )


def _mark(delivery, status, **fields):
    Delivery.objects.filter(pk=delivery.pk).update(status=status, **fields)


def deliveries_send_batch(*, delivery_ids):
    """Send one batch over one SMTP connection, marking each row as it goes."""
    deliveries = list(deliveries_claim(delivery_ids))
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    if not deliveries:
        return counts
    digests = {}  # (update id, topic key) -> rendered bodies, so each topic set renders once
    articles = {}
    connection = get_connection()
    opened = False
    unreachable = None  # the error from opening the connection, once it has failed
    retry = []

    def fail(delivery, error):
        logger.warning("Delivery %s failed: %s", delivery.pk, error)
        # The server refused the message, so its outcome is known: no Message-ID stays recorded.
        _mark(delivery, Delivery.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], message_id="")
        counts["failed"] += 1
        if delivery.attempts < settings.NEWSLETTER_MAX_ATTEMPTS:  # attempts counts this one
            retry.append(delivery.pk)

    try:
        for delivery in deliveries:
            subscriber = delivery.subscriber
            if not subscriber.is_active:
                _mark(delivery, Delivery.Status.SKIPPED, error="Unsubscribed before the update went out.")
                counts["skipped"] += 1
                continue
            update = delivery.daily_update
            if update.pk not in articles:
                articles[update.pk] = list(
                    selectors.update_articles(update).prefetch_related("minerals", "countries")
                )
            key = (update.pk, subscriber.topic_key())
            if key not in digests:
                chosen = selectors.articles_for_topics(articles[update.pk], key[1])
                digests[key] = emails.render_digest(
                    update, chosen, minerals=subscriber.minerals.all(), countries=subscriber.countries.all()
                ) if chosen else None
            if digests[key] is None:
                _mark(delivery, Delivery.Status.SKIPPED, error="No article today matches the subscriber's topics.")
                counts["skipped"] += 1
                continue
            message = emails.digest_message(delivery, digests[key], connection=connection)
            if not opened and unreachable is None:
                try:
                    connection.open()
                    opened = True
                except Exception as error:  # noqa: BLE001 - any SMTP or socket failure
                    # A server that cannot be reached fails the rest of the batch at once, rather
                    # than each row waiting out its own timeout; the retry tries them all again.
                    unreachable = error
            if unreachable is not None:
                fail(delivery, unreachable)
                continue
            # Recorded just before the message goes to the server: a row left `sending` without a
            # Message-ID was never handed over and may be sent again. No row updated means the
            # stale sweep released it meanwhile and another worker now has it.
            if not Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING, message_id="").update(
                message_id=message.extra_headers["Message-ID"]
            ):
                continue
            try:
                connection.send_messages([message])
            except Exception as error:  # noqa: BLE001 - any SMTP or socket failure is this row's failure
                fail(delivery, error)
                # A connection broken mid-batch is reopened for the next message rather than failing the rest.
                connection.close()
                opened = False
                continue
            _mark(delivery, Delivery.Status.SENT, sent_at=timezone.now(), error="",
                  message_id=message.extra_headers["Message-ID"])
            counts["sent"] += 1
    finally:
        if opened:
            connection.close()
    if retry:
        Delivery.objects.filter(pk__in=retry, status=Delivery.Status.FAILED).update(status=Delivery.Status.PENDING)
        _enqueue_batches(retry, run_after=timezone.now() + timedelta(seconds=settings.NEWSLETTER_RETRY_DELAY))
    for update_id in {delivery.daily_update_id for delivery in deliveries}:
        _daily_update_finish(update_id)
    return counts


def deliveries_requeue(*, deliveries):
    """An editor's decision to send failed or unknown deliveries again. Returns how many were queued."""
    ids = list(
        deliveries.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN]).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.PENDING, error="", message_id="")
    if DailyUpdate.objects.filter(deliveries__pk__in=ids, status=DailyUpdate.Status.SENT).update(
        status=DailyUpdate.Status.SENDING
    ):
        page_cache.invalidate(ARCHIVE)  # it leaves the archive until it is sent again
    _enqueue_batches(ids)
    return len(ids)


def daily_update_send_test(*, daily_update, email):
    """Mail an editor the update as every-topic subscribers will get it."""
    articles = list(selectors.update_articles(daily_update, live_only=False))
    return emails.preview_message(daily_update, articles, email).send()
