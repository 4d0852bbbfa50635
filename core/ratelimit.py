"""Rate limits kept in the shared cache (Redis in production), so every app server counts together.

A limit is a fixed window per key. Views ask `limited()`, which answers with the site's one
429 page, telling the reader the real time left in the window, or None when the request may go on.
"""

import math
import time

from django.core.cache import cache
from django.shortcuts import render

from core.clients import fingerprint


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


def too_many_requests(request, message, *, window):
    """The 429 page and Retry-After header for a limit counted over `window` seconds."""
    retry_after = seconds_until_reset(window)
    context = {"message": message, "retry_minutes": math.ceil(retry_after / 60)}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def limited(request, scope, identity, *, limit, window, message):
    """Count the request; the 429 answer once `identity` has used up `limit` in `window`, else None."""
    if allow(scope, identity, limit=limit, window=window):
        return None
    return too_many_requests(request, message, window=window)
