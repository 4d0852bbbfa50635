"""The delivery engine: batches of a daily update's deliveries claimed, mailed over one SMTP
connection a chunk at a time, and recorded; dead workers' rows swept up; an editor's resends.

"Never twice" rests on one rule: a row's Message-ID is stamped, in one UPDATE for the whole chunk,
before the chunk's SMTP conversation starts. A row left `sending` without a Message-ID was never
handed to the server and is sent again; one with a Message-ID may have gone, so it is reported
unknown, never resent blindly. A crash therefore leaves at most the chunk in flight unknown.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from articles.models import Country, Mineral
from core import page_cache
from newsletter import emails, selectors, tasks
from newsletter.invalidation import ARCHIVE
from newsletter.mail_failures import (
    GIVE_UP_AFTER,
    error_text,
    is_refusal,
    outage_retry_at,
    retry_delay,
    unreachable_text,
)
from newsletter.models import DailyUpdate, Delivery

logger = logging.getLogger(__name__)


def deliveries_enqueue(delivery_ids):
    """Queue `delivery_ids` in batches once the caller's transaction commits, noting when. A job lost
    on the way (a queue outage, a worker killed before it claimed) is queued again by the schedule."""
    Delivery.objects.filter(pk__in=delivery_ids).update(queued_at=timezone.now())
    size = settings.NEWSLETTER_BATCH_SIZE
    batches = [delivery_ids[i : i + size] for i in range(0, len(delivery_ids), size)]
    for batch in batches:
        tasks.enqueue_on_commit(tasks.send_delivery_batch, delivery_ids=batch)
    return len(batches)


def deliveries_enqueue_due(*, now=None):
    """Queue rows due for a retry and rows whose job was lost; give up rows a day old. Returns how many were
    queued."""
    now = now or timezone.now()
    given_up = Delivery.objects.pending().filter(daily_update__enqueued_at__lt=now - GIVE_UP_AFTER)
    for update_id in set(given_up.values_list("daily_update_id", flat=True)):
        given_up.filter(daily_update_id=update_id).update(
            status=Delivery.Status.FAILED, error="Not sent within 24 hours of the update's start; given up."
        )
        daily_update_finish(update_id)
    ids = list(Delivery.objects.due(now).order_by("pk").values_list("pk", flat=True))
    deliveries_enqueue(ids)
    return len(ids)


def daily_update_finish(daily_update_id):
    """Mark the update sent once no delivery of it is left for a worker."""
    if not Delivery.objects.filter(daily_update_id=daily_update_id).unfinished().exists():
        if DailyUpdate.objects.filter(pk=daily_update_id, status=DailyUpdate.Status.SENDING).update(
            status=DailyUpdate.Status.SENT, sent_at=timezone.now(), mail_unreachable_since=None
        ):
            page_cache.invalidate(ARCHIVE)  # the update joins the public archive


@dataclass(frozen=True)
class StaleSweep:
    unknown: list  # Delivery rows flagged for an editor
    released: list  # ids of rows queued again


def deliveries_mark_stale(*, now=None):
    """Deliveries whose batch has not been heard of for NEWSLETTER_LEASE_SECONDS: their worker died.
    A row stamped with a Message-ID may have reached the mail server, so its outcome is unknown and
    it is flagged for an editor; a row the worker never handed over is queued again."""
    now = now or timezone.now()
    stale = Delivery.objects.sending().filter(
        claimed_at__lt=now - timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
    )
    untried = list(stale.filter(message_id="").values_list("pk", flat=True))
    # The status and Message-ID filters stay on each update, so a row a slow worker is handing over
    # or has finished meanwhile keeps what the worker gave it.
    stale.filter(pk__in=untried, message_id="").update(
        status=Delivery.Status.PENDING, claim_token="", queued_at=None, next_attempt_at=None
    )
    released = list(Delivery.objects.pending().filter(pk__in=untried).values_list("pk", flat=True))
    deliveries_enqueue(released)
    ids = list(stale.values_list("pk", flat=True))
    stale.filter(pk__in=ids).update(
        status=Delivery.Status.UNKNOWN,
        claim_token="",
        error="The worker stopped while sending; the message may or may not have gone.",
    )
    rows = list(Delivery.objects.unknown().filter(pk__in=ids).select_related("daily_update", "subscriber"))
    if rows:
        logger.warning(
            "Deliveries %s were interrupted mid-send; marked unknown, not resent.",
            ", ".join(str(row.pk) for row in rows),
        )
    for update_id in {row.daily_update_id for row in rows}:
        daily_update_finish(update_id)
    return StaleSweep(unknown=rows, released=released)


def deliveries_claim(delivery_ids, *, token=""):
    """Move the rows no other worker holds from pending to sending, for the batch `token` names.

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
            status=Delivery.Status.SENDING, claimed_at=timezone.now(), claim_token=token, queued_at=None
        )
    return Delivery.objects.filter(pk__in=claimed).order_by("pk").select_related("daily_update", "subscriber")


def _message_id_expression(update):
    """The Message-ID of every row of `update`, computed by the database from the row's id."""
    prefix, suffix = emails.message_id_parts(update)
    return Concat(Value(prefix), Cast("pk", CharField()), Value(suffix), output_field=CharField())


class Batch:
    """One batch's run: its claim token, its counts, and the writes it makes a chunk at a time."""

    def __init__(self, deliveries, token):
        self.deliveries = deliveries
        self.token = token
        self.counts = {"sent": 0, "failed": 0, "skipped": 0, "retrying": 0}
        self.now = timezone.now
        self.beat = self.now()  # the claim's time: the batch's last heartbeat

    def ours(self, ids):
        return Delivery.objects.filter(pk__in=ids, claim_token=self.token, status=Delivery.Status.SENDING)

    def skip(self, rows, reason):
        if rows:
            self.ours([row.pk for row in rows]).update(
                status=Delivery.Status.SKIPPED, error=reason, claim_token=""
            )
            self.counts["skipped"] += len(rows)

    def stamp(self, chunk):
        """Record the chunk's Message-IDs (and a heartbeat for the whole batch) before its messages go.
        Returns the rows still ours: a row the sweep released meanwhile belongs to another worker now."""
        ids, now = [delivery.pk for delivery in chunk], self.now()
        with transaction.atomic():
            stamped = (
                self.ours(ids)
                .filter(message_id="")
                .update(
                    message_id=_message_id_expression(chunk[0].daily_update),
                    attempts=F("attempts") + 1,
                    claimed_at=now,
                )
            )
            if now - self.beat > timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS / 4):
                self.ours([delivery.pk for delivery in self.deliveries]).update(claimed_at=now)
                self.beat = now
        if stamped == len(ids):
            return chunk
        kept = set(self.ours(ids).exclude(message_id="").values_list("pk", flat=True))
        return [delivery for delivery in chunk if delivery.pk in kept]

    def record(self, sent, failures, untried):
        """The chunk's outcomes in as few writes as there are distinct outcomes."""
        now = self.now()
        with transaction.atomic():
            if sent:
                # A row the sweep marked unknown meanwhile did go: the server accepted it.
                Delivery.objects.filter(
                    pk__in=sent, status__in=[Delivery.Status.SENDING, Delivery.Status.UNKNOWN]
                ).exclude(message_id="").update(
                    status=Delivery.Status.SENT, sent_at=now, error="", claim_token=""
                )
            for (error, retry_at, spent), ids in failures.items():
                # The server refused these or hung up before taking them, so they did not go: no
                # Message-ID stays recorded. Only a refusal keeps the attempt its stamp counted.
                self.ours(ids).update(
                    status=Delivery.Status.PENDING if retry_at else Delivery.Status.FAILED,
                    error=error,
                    message_id="",
                    claim_token="",
                    next_attempt_at=retry_at,
                    attempts=F("attempts") if spent else F("attempts") - 1,
                )
            if untried:
                # Stamped but never handed over (the connection broke first): as if never claimed.
                self.ours(untried).update(
                    status=Delivery.Status.PENDING,
                    message_id="",
                    claim_token="",
                    next_attempt_at=None,
                    attempts=F("attempts") - 1,
                )
        self.counts["sent"] += len(sent)

    def release(self, rows, error):
        """The mail server could not be reached: nothing was handed over, so the rows wait for it."""
        retry_at = outage_retry_at(self.now())
        self.ours([row.pk for row in rows]).update(
            status=Delivery.Status.PENDING,
            error=unreachable_text(error),
            claim_token="",
            next_attempt_at=retry_at,
        )
        self.counts["retrying"] += len(rows)


# Digests built by this worker process, kept across batches of the same update: a topic set's
# message is built once per worker, not once per batch. The key holds the live articles and what
# they show, so an article unpublished or corrected mid-send is reflected in the next batch.
_digests = {}


def _digest(update, articles, key):
    version = (
        update.pk,
        update.created_at,
        update.subject,
        update.intro,
        key,
        tuple((a.pk, a.updated_at, a.title, a.slug, a.dek, a.section_id) for a in articles),
    )
    if version not in _digests:
        if len(_digests) > 512:
            _digests.clear()
        chosen = selectors.articles_for_topics(articles, key)
        _digests[version] = (
            emails.DigestCopies(
                update,
                emails.render_digest(
                    update,
                    chosen,
                    minerals=Mineral.objects.filter(pk__in=key[0]),
                    countries=Country.objects.filter(pk__in=key[1]),
                ),
            )
            if chosen
            else None
        )
    return _digests[version]


def _plan(batch):
    """Split the batch into rows to skip and rows to send, each with its topic set's digest, built once."""
    digests, articles, sendable = {}, {}, []
    unsubscribed, unmatched = [], []
    topics = selectors.subscriber_topic_keys([delivery.subscriber_id for delivery in batch.deliveries])
    for delivery in batch.deliveries:
        subscriber = delivery.subscriber
        if not subscriber.is_active:
            unsubscribed.append(delivery)
            continue
        update = delivery.daily_update
        if update.pk not in articles:
            articles[update.pk] = list(
                selectors.update_articles(update).prefetch_related("minerals", "countries")
            )
        key = (update.pk, topics[subscriber.pk])
        if key not in digests:
            digests[key] = _digest(update, articles[update.pk], key[1])
        if digests[key] is None:
            unmatched.append(delivery)
        else:
            sendable.append((delivery, digests[key]))
    batch.skip(unsubscribed, "Unsubscribed before the update went out.")
    batch.skip(unmatched, "No article today matches the subscriber's topics.")
    return sendable


def _open(connection, batch, rows):
    """Open the batch's one SMTP connection; on failure release `rows` and note the outage on their
    updates."""
    update_ids = {delivery.daily_update_id for delivery, _ in rows}
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - any SMTP or socket failure means the server is unreachable
        logger.warning(
            "Mail server unreachable: %s; %d deliveries wait for it.", type(error).__name__, len(rows)
        )
        batch.release([delivery for delivery, _ in rows], error)
        DailyUpdate.objects.filter(pk__in=update_ids, mail_unreachable_since__isnull=True).update(
            mail_unreachable_since=timezone.now()
        )
        return False
    DailyUpdate.objects.filter(pk__in=update_ids, mail_unreachable_since__isnull=False).update(
        mail_unreachable_since=None
    )
    return True


def _send_chunk(connection, batch, chunk):
    """Hand the chunk's messages to the server and record the outcomes. Returns the ids never handed
    over because the connection broke, or None when it held."""
    sent, failures, untried = [], {}, []
    broken = False
    for delivery, digest in chunk:
        if broken:
            untried.append(delivery.pk)
            continue
        try:
            digest.send(delivery, connection)
        except Exception as error:  # noqa: BLE001 - any SMTP or socket failure is this row's failure
            logger.warning("Delivery %s failed: %s", delivery.pk, type(error).__name__)
            if not is_refusal(error):
                # The line or the server failed, mid-conversation: an outage, as when the connection
                # cannot be opened. The row spends no attempt and waits for the server; the rest of
                # the chunk is never handed over.
                failures.setdefault(
                    (unreachable_text(error), outage_retry_at(batch.now()), False), []
                ).append(delivery.pk)
                batch.counts["retrying"] += 1
                broken = True
                continue
            attempts = delivery.attempts + 1  # the stamp counted this attempt
            retry_at = (
                batch.now() + retry_delay(attempts) if attempts < settings.NEWSLETTER_MAX_ATTEMPTS else None
            )
            failures.setdefault((error_text(error), retry_at, True), []).append(delivery.pk)
            batch.counts["retrying" if retry_at else "failed"] += 1
            continue
        sent.append(delivery.pk)
    batch.record(sent, failures, untried)
    return untried if broken else None


def deliveries_send_batch(*, delivery_ids):
    """Send one batch over one SMTP connection, stamping and recording a chunk at a time."""
    token = secrets.token_hex(16)
    batch = Batch(list(deliveries_claim(delivery_ids, token=token)), token)
    if not batch.deliveries:
        return batch.counts
    chunks, size = [], settings.NEWSLETTER_CHUNK_SIZE
    for _update, rows in groupby(
        sorted(_plan(batch), key=lambda row: (row[0].daily_update_id, row[0].pk)),
        key=lambda row: row[0].daily_update_id,
    ):
        rows = list(rows)  # a chunk holds one update's rows: its Message-IDs are stamped in one UPDATE
        chunks += [rows[i : i + size] for i in range(0, len(rows), size)]
    connection, opened, untried = get_connection(), False, []
    try:
        for position, chunk in enumerate(chunks):
            if not opened and not _open(
                connection, batch, [row for later in chunks[position:] for row in later]
            ):
                break
            opened = True
            kept = {delivery.pk for delivery in batch.stamp([delivery for delivery, _ in chunk])}
            broken = _send_chunk(connection, batch, [row for row in chunk if row[0].pk in kept])
            if broken is not None:
                untried += broken
                connection.close()  # reopened for the next chunk rather than failing the rest
                opened = False
    finally:
        connection.close()
    deliveries_enqueue(untried)
    for update_id in {delivery.daily_update_id for delivery in batch.deliveries}:
        daily_update_finish(update_id)
    return batch.counts


def deliveries_requeue(*, deliveries):
    """An editor's decision to send failed or unknown deliveries again. Returns how many were queued."""
    ids = list(
        deliveries.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN]).values_list(
            "pk", flat=True
        )
    )
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, error="", message_id="", next_attempt_at=None
    )
    if DailyUpdate.objects.filter(deliveries__pk__in=ids, status=DailyUpdate.Status.SENT).update(
        status=DailyUpdate.Status.SENDING
    ):
        page_cache.invalidate(ARCHIVE)  # it leaves the archive until it is sent again
    deliveries_enqueue(ids)
    return len(ids)
