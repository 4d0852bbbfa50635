"""A subscriber's life: signing up, confirming, choosing topics, leaving, and the mails each step sends."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import ratelimit
from newsletter import emails, tasks, tokens
from newsletter.models import Subscriber

# The mail each step of the lifecycle sends, by the kind the task is given.
SUBSCRIBER_MAILS = {
    "confirm": emails.confirmation_message,
    "already_subscribed": emails.already_subscribed_message,
    "welcome": emails.welcome_message,
}


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


def _mail_on_commit(subscriber, kind):
    transaction.on_commit(lambda: tasks.send_subscriber_mail.enqueue(subscriber_id=subscriber.pk, kind=kind))


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
        _mail_on_commit(subscriber, "already_subscribed" if subscriber.is_active else "confirm")
    return subscriber


def subscriber_mail_send(*, subscriber_id, kind):
    """Send one lifecycle mail; False when the subscriber is gone."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    try:
        SUBSCRIBER_MAILS[kind](subscriber).send()
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
        _mail_on_commit(subscriber, "welcome")
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
