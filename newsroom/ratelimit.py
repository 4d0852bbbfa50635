"""Rate limits kept in the shared cache (Redis in production), so every app server counts together.

Used by comments, newsletter signups and search; a limit is a fixed window per key.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_ip(request):
    """The reader's address. Behind N trusted proxies, the Nth address from the right of X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def fingerprint(value):
    """A keyed hash, so cache keys and stored fingerprints never hold an address in the clear."""
    return hashlib.blake2b(value.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16).hexdigest()


def allow(scope, identity, *, limit, window):
    """Count one attempt by `identity` in `scope`; False once it exceeds `limit` within `window` seconds."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{fingerprint(identity)}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def seconds_until_reset(window):
    """How long until the fixed window `allow` counts in ends and every count starts again."""
    return max(1, math.ceil(window - time.time() % window))


def too_many_requests(request, message, *, retry_after=60):
    context = {"message": message, "retry_minutes": math.ceil(retry_after / 60)}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
