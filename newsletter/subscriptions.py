"""A subscriber's life: signing up, confirming, choosing topics, leaving, and the mails each step sends."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core import ratelimit
from newsletter import emails, tasks, tokens
from newsletter.mail_failures import GIVE_UP_AFTER, failure_text, is_refusal, outage_retry_at, retry_delay
from newsletter.models import SignupRequest, Subscriber, SubscriberMail

logger = logging.getLogger(__name__)

# The mail each step of the lifecycle sends, by kind.
SUBSCRIBER_MAILS = {
    SubscriberMail.Kind.CONFIRM: emails.confirmation_message,
    SubscriberMail.Kind.ALREADY_SUBSCRIBED: emails.already_subscribed_message,
    SubscriberMail.Kind.WELCOME: emails.welcome_message,
}


def requeue_after():
    """A signup or lifecycle mail whose job has not finished after this long is queued again."""
    return timedelta(seconds=settings.NEWSLETTER_REQUEUE_SECONDS)


def signup_request_record(*, email, mineral_ids, country_ids, ip_hash, user_agent, source):
    """Store a reader's signup as sent, in the caller's transaction, and queue its processing on commit.

    The request does this one insert for every address whatever its state, so neither the answer nor
    its timing says who subscribes; the lookup, the subscriber's row and the mail happen in a task.
    """
    signup = SignupRequest.objects.create(
        email=email,
        mineral_ids=mineral_ids,
        country_ids=country_ids,
        ip_hash=ip_hash,
        user_agent=user_agent[:300],
        source=source[:300],
        queued_at=timezone.now(),
    )
    tasks.enqueue_on_commit(tasks.record_signup, signup_request_id=signup.pk)
    return signup


def signup_request_process(*, signup_request_id):
    """Turn a stored signup into a subscriber and its mail, and delete it, in one transaction: done
    exactly once however many jobs carry it. False when another job has it or has done it."""
    with transaction.atomic():
        signup = (
            SignupRequest.objects.select_for_update(skip_locked=True).filter(pk=signup_request_id).first()
        )
        if signup is None:
            return False
        subscriber_signup(
            email=signup.email,
            minerals=signup.mineral_ids,
            countries=signup.country_ids,
            ip_hash=signup.ip_hash,
            user_agent=signup.user_agent,
            source=signup.source,
        )
        signup.delete()
    return True


def signup_requests_enqueue_due(*, now=None):
    """Queue again the stored signups whose job was lost or failed (a database or queue outage)."""
    now = now or timezone.now()
    due = SignupRequest.objects.filter(queued_at__lt=now - requeue_after())
    ids = list(due.values_list("pk", flat=True))
    SignupRequest.objects.filter(pk__in=ids).update(queued_at=now, attempts=F("attempts") + 1)
    for pk in ids:
        tasks.enqueue_on_commit(tasks.record_signup, signup_request_id=pk)
    return len(ids)


def _subscriber_get_or_create(email, defaults):
    """One row per address, even when two signups for it race: the loser of the insert reads the winner's
    row."""
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


def _mail_on_commit(subscriber, kind):
    """Keep the mail until it has gone, and queue its sending once the caller's transaction commits."""
    mail = SubscriberMail.objects.create(subscriber=subscriber, kind=kind, queued_at=timezone.now())
    tasks.enqueue_on_commit(tasks.send_subscriber_mail, mail_id=mail.pk)


def subscriber_signup(*, email, minerals=(), countries=(), ip_hash="", user_agent="", source=""):
    """Record a signup and send what the address needs, telling the caller nothing about its state.

    New, pending and unsubscribed addresses get a confirmation link; an active one gets a note
    with its own links instead. Either way at most one mail a day goes to an address.
    `minerals` and `countries` are tags or their ids. Readers' signups reach it through a stored
    `SignupRequest` and a task, so the request does the same work whatever the address's state.
    """
    email = email.strip()
    if not ratelimit.allow(
        "newsletter-signup-address",
        email.lower(),
        limit=settings.NEWSLETTER_SIGNUP_ADDRESS_LIMIT,
        window=3600,
    ):
        return None
    subscriber, _created = _subscriber_get_or_create(
        email,
        {
            "signup_ip_hash": ip_hash,
            "signup_user_agent": user_agent[:300],
            "signup_source": source[:300],
        },
    )
    if not subscriber.is_active:
        # Topics of an active subscriber change only through the signed link in their mail.
        subscriber.minerals.set(minerals)
        subscriber.countries.set(countries)
    if _claim_daily_mail_slot(subscriber):
        _mail_on_commit(subscriber, "already_subscribed" if subscriber.is_active else "confirm")
    return subscriber


def subscriber_mail_send(*, mail_id):
    """Send one lifecycle mail. A refusal spends an attempt and is retried with backoff (30 s doubling
    to NEWSLETTER_RETRY_DELAY); an outage (the server unreachable, or the line dropped mid-conversation)
    spends none and waits for the server, going as soon as the schedule finds it back
    (mail_failures.mail_server_back). Either way a mail is tried for a day, then shown as never sent.
    Returns the mail's status."""
    now = timezone.now()
    if not SubscriberMail.objects.filter(pk=mail_id, status=SubscriberMail.Status.PENDING).update(
        status=SubscriberMail.Status.SENDING, claimed_at=now, queued_at=None
    ):
        return None  # sent already, or another job has it
    mail = SubscriberMail.objects.select_related("subscriber").get(pk=mail_id)
    try:
        SUBSCRIBER_MAILS[mail.kind](mail.subscriber).send()
    except Exception as error:  # noqa: BLE001 - any SMTP or socket failure is retried
        refused = is_refusal(error)
        attempts = mail.attempts + 1 if refused else mail.attempts
        give_up = mail.created_at < now - GIVE_UP_AFTER
        logger.warning(
            "Subscriber mail %s (%s, subscriber %s) failed: %s; %s.",
            mail.pk,
            mail.kind,
            mail.subscriber_id,
            type(error).__name__,
            "given up" if give_up else "will retry",
        )
        SubscriberMail.objects.filter(pk=mail.pk).update(
            status=SubscriberMail.Status.FAILED if give_up else SubscriberMail.Status.PENDING,
            attempts=attempts,
            error=failure_text(error),
            next_attempt_at=None
            if give_up
            else (now + retry_delay(attempts) if refused else outage_retry_at(now)),
        )
        return SubscriberMail.Status.FAILED if give_up else SubscriberMail.Status.PENDING
    SubscriberMail.objects.filter(pk=mail.pk).update(
        status=SubscriberMail.Status.SENT, sent_at=timezone.now(), attempts=mail.attempts + 1, error=""
    )
    return SubscriberMail.Status.SENT


def subscriber_mails_enqueue_due(*, now=None):
    """Queue the lifecycle mails due for a retry, whose job was lost, or whose worker died mid-send
    (a confirmation sent twice is harmless; one never sent loses the reader)."""
    now = now or timezone.now()
    lost = now - requeue_after()
    SubscriberMail.objects.filter(status=SubscriberMail.Status.SENDING, claimed_at__lt=lost).update(
        status=SubscriberMail.Status.PENDING, queued_at=None, next_attempt_at=None
    )
    due = SubscriberMail.objects.filter(status=SubscriberMail.Status.PENDING).filter(
        Q(queued_at__isnull=True, next_attempt_at__isnull=True)
        | Q(queued_at__isnull=True, next_attempt_at__lte=now)
        | Q(queued_at__lt=lost)
    )
    ids = list(due.values_list("pk", flat=True))
    SubscriberMail.objects.filter(pk__in=ids).update(queued_at=now)
    for pk in ids:
        tasks.enqueue_on_commit(tasks.send_subscriber_mail, mail_id=pk)
    return len(ids)


def subscriber_for_token(*, purpose, token):
    """The subscriber a valid token names, or InvalidToken."""
    payload = tokens.read(purpose, token)
    subscriber = Subscriber.objects.filter(pk=payload["id"]).first()
    if subscriber is None:
        raise tokens.InvalidToken("No such subscriber.")
    if (
        purpose == tokens.CONFIRM
        and subscriber.unsubscribed_at
        and (int(subscriber.unsubscribed_at.timestamp() * 1_000_000) >= payload["at"])
    ):
        raise tokens.InvalidToken("The link was sent before the subscriber left.")
    return subscriber


def subscriber_confirm(*, token):
    """Activate the subscriber a confirmation token names; idempotent. Returns (subscriber, newly_active)."""
    subscriber = subscriber_for_token(purpose=tokens.CONFIRM, token=token)
    changed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.ACTIVE)
        .update(status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now())
    )
    if changed:
        _mail_on_commit(subscriber, "welcome")
    subscriber.refresh_from_db()
    return subscriber, bool(changed)


def subscriber_unsubscribe(*, token):
    """Unsubscribe at once; idempotent. Returns the subscriber.

    The day's mail slot is freed, so a reader who left by mistake can sign up again at once; only
    the holder of the signed link can do this, and the per-address limit still bounds the mail.
    """
    subscriber = subscriber_for_token(purpose=tokens.UNSUBSCRIBE, token=token)
    Subscriber.objects.filter(pk=subscriber.pk).exclude(status=Subscriber.Status.UNSUBSCRIBED).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), last_confirmation_sent_at=None
    )
    subscriber.refresh_from_db()
    return subscriber


def subscriber_set_topics(*, subscriber, minerals, countries):
    subscriber.minerals.set(minerals)
    subscriber.countries.set(countries)
    return subscriber


def subscriber_mails_retry(*, mails):
    """An editor's "try again" for lifecycle mails that have not gone. Returns how many were queued."""
    ids = list(mails.unsent().exclude(status=SubscriberMail.Status.SENDING).values_list("pk", flat=True))
    SubscriberMail.objects.filter(pk__in=ids).update(
        status=SubscriberMail.Status.PENDING,
        next_attempt_at=None,
        queued_at=timezone.now(),
        created_at=timezone.now(),
    )
    for pk in ids:
        tasks.enqueue_on_commit(tasks.send_subscriber_mail, mail_id=pk)
    return len(ids)
