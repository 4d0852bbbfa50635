"""The delivery engine: batches of one daily update's deliveries claimed, mailed over one SMTP
connection and recorded, with crashed sends swept up and an editor's resends."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsletter import emails, selectors, tasks
from newsletter.models import DailyUpdate, Delivery

logger = logging.getLogger(__name__)


def deliveries_enqueue(delivery_ids, *, run_after=None):
    """Queue `delivery_ids` in batches once the caller's transaction commits. Returns the batch count."""
    size = settings.NEWSLETTER_BATCH_SIZE
    batches = [delivery_ids[i:i + size] for i in range(0, len(delivery_ids), size)]
    task = tasks.send_delivery_batch
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    for batch in batches:
        transaction.on_commit(lambda batch=batch: task.enqueue(delivery_ids=batch))
    return len(batches)


def daily_update_finish(daily_update_id):
    """Mark the update sent once no delivery of it is left for a worker."""
    if not Delivery.objects.filter(daily_update_id=daily_update_id).unfinished().exists():
        DailyUpdate.objects.filter(pk=daily_update_id, status=DailyUpdate.Status.SENDING).update(
            status=DailyUpdate.Status.SENT, sent_at=timezone.now()
        )


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
    deliveries_enqueue(released)
    ids = list(stale.values_list("pk", flat=True))
    stale.filter(pk__in=ids).update(
        status=Delivery.Status.UNKNOWN, error="The worker stopped while sending; the message may or may not have gone."
    )
    rows = list(Delivery.objects.unknown().filter(pk__in=ids).select_related("daily_update", "subscriber"))
    for update_id in {row.daily_update_id for row in rows}:
        daily_update_finish(update_id)
    return StaleSweep(unknown=rows, released=released)


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
        deliveries_enqueue(retry, run_after=timezone.now() + timedelta(seconds=settings.NEWSLETTER_RETRY_DELAY))
    for update_id in {delivery.daily_update_id for delivery in deliveries}:
        daily_update_finish(update_id)
    return counts


def deliveries_requeue(*, deliveries):
    """An editor's decision to send failed or unknown deliveries again. Returns how many were queued."""
    ids = list(
        deliveries.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN]).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.PENDING, error="", message_id="")
    DailyUpdate.objects.filter(deliveries__pk__in=ids, status=DailyUpdate.Status.SENT).update(
        status=DailyUpdate.Status.SENDING
    )
    deliveries_enqueue(ids)
    return len(ids)
