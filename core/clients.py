"""Who is asking: the reader's network address, and a keyed hash that never stores it in the clear."""

import hashlib

from django.conf import settings


def client_ip(request):
    """The reader's address. Behind N trusted proxies, the Nth address from the right of X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def fingerprint(value):
    """A keyed hash, so cache keys and stored fingerprints never hold an address in the clear."""
    return hashlib.blake2b(value.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16).hexdigest()


def is_staff(user):
    """A signed-in member of the desk: moderator badge, no rate limits, never a cached page."""
    return user is not None and user.is_authenticated and user.is_staff
