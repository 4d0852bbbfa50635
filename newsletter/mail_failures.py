"""What a failed send means, for the daily update's deliveries and for the mails a subscriber waits for
alike: a refusal of the recipient or the mail server being unreachable, the text recorded for each, the
backoff before the next try, how long a message is tried before it is given up, and the schedule's
check that an unreachable server answers again."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

from newsletter.models import Delivery, SubscriberMail

logger = logging.getLogger(__name__)

# A mail server that cannot be reached is tried again at most this often, however long it stays down;
# the schedule also checks each tick whether it is back (mail_server_back), and retries at once if so.
UNREACHABLE_RETRY_SECONDS = 60
# How the error of a row or mail that waits for the mail server begins (not a refusal of its recipient).
UNREACHABLE = "Mail server unreachable"
# Past this, a message the mail server never took is given up rather than sent a day late.
GIVE_UP_AFTER = timedelta(hours=24)


def retry_delay(attempts):
    """Backoff before attempt `attempts + 1`: 30 s, 60 s, 120 s... up to NEWSLETTER_RETRY_DELAY."""
    return timedelta(seconds=min(settings.NEWSLETTER_RETRY_DELAY, 30 * 2 ** max(0, attempts - 1)))


def error_text(error):
    return f"{type(error).__name__}: {error}"[:2000]


# "Service not available, closing transmission channel": the server going away (a restart, an
# overload), said before it hangs up; nothing about the recipient.
CLOSING_CHANNEL = 421


def is_refusal(error):
    """True when the server answered and refused the message or its recipient; anything else is the
    server or the line failing (a refused connection, a disconnect, reset, timeout or broken pipe in
    the middle of a conversation, a 421 before hanging up), which says nothing about the recipient.
    Only a refusal spends one of a message's NEWSLETTER_MAX_ATTEMPTS; an outage spends none."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = {code for code, _message in error.recipients.values()}
        return codes != {CLOSING_CHANNEL}
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code != CLOSING_CHANNEL
    return False


def outage_retry_at(now):
    """When a message that met an outage is tried again, unless the schedule finds the server back
    sooner (mail_server_back)."""
    return now + timedelta(seconds=UNREACHABLE_RETRY_SECONDS)


def unreachable_text(error):
    return f"{UNREACHABLE} ({error_text(error)}); retrying."[:2000]


def failure_text(error):
    """What a failed message's row records: the server's refusal as it was given, or that it waits for the
    server."""
    return error_text(error) if is_refusal(error) else unreachable_text(error)


def mail_server_back(*, now=None):
    """When deliveries or subscriber mails wait for an unreachable mail server, see whether it answers
    again and, if it does, make them due now rather than at the end of their backoff. True when it did."""
    now = now or timezone.now()
    rows = Delivery.objects.pending().filter(next_attempt_at__gt=now, error__startswith=UNREACHABLE)
    mails = SubscriberMail.objects.filter(
        status=SubscriberMail.Status.PENDING, next_attempt_at__gt=now, error__startswith=UNREACHABLE
    )
    if not (rows.exists() or mails.exists()):
        return False
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - still down: the rows keep their backoff
        return False
    finally:
        connection.close()
    released = rows.update(next_attempt_at=now) + mails.update(next_attempt_at=now)
    logger.info("Mail server answers again; %d waiting messages are due now.", released)
    return True
