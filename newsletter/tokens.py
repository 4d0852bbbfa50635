"""Signed links in newsletter mail. Each purpose has its own salt, so a token made for one
purpose is refused by every other; confirmation links also expire."""

import time

from django.conf import settings
from django.core import signing

CONFIRM = "newsletter.confirm"
UNSUBSCRIBE = "newsletter.unsubscribe"
TOPICS = "newsletter.topics"


class InvalidToken(Exception):
    """The link was tampered with, has expired, or was made for something else."""


def make(purpose, subscriber):
    # The issue time (in microseconds) rides along so a confirmation link older than an
    # unsubscribe cannot undo it.
    return signing.dumps(
        {"id": subscriber.pk, "at": int(time.time() * 1_000_000)}, salt=purpose, compress=False
    )


def read(purpose, token):
    """The payload of a valid token for `purpose`, or InvalidToken."""
    max_age = settings.NEWSLETTER_CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        payload = signing.loads(token, salt=purpose, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidToken(str(error)) from error
    if not isinstance(payload, dict) or not all(isinstance(payload.get(key), int) for key in ("id", "at")):
        raise InvalidToken("Malformed token.")
    return payload
