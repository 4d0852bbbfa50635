"""Cross-origin protection for the reader forms that cached pages carry: comment, reply, like and
newsletter signup.

A cached page is the same for every reader, so it cannot hold a CSRF token. The endpoints those
forms post to check instead where the request comes from, as the browser itself reports it, the
approach of Go's net/http CrossOriginProtection:

1. `Sec-Fetch-Site` (sent by every current browser): only `same-origin` (or `none`, a request
   the user made directly) may change anything.
2. Without it, `Origin` (sent with every POST by browsers since 2020) must be this site's.
3. Without either, `Referer`, when present, must be this site's. A request with none of the three
   does not come from a current browser, so no reader's browser can be made to send it from
   another site: it is let through, as it could forge any header it liked anyway.

Forms on pages that are never cached (admin, the newsletter's confirm and unsubscribe pages) keep
Django's CSRF tokens. docs/page-cache.md explains the whole design.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def allowed_origins(request):
    return {
        f"{request.scheme}://{request.get_host()}",
        _origin_of(settings.SITE_URL),
        *settings.CSRF_TRUSTED_ORIGINS,
    }


def is_same_origin(request):
    """True unless the browser says, or shows, that the request was made by another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in allowed_origins(request)
    referer = request.headers.get("Referer")
    if referer is not None:
        return _origin_of(referer) in allowed_origins(request)
    return True


def same_origin_required(view):
    """Refuse (403) a state-changing request another site made; the view needs no CSRF token."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS and not is_same_origin(request):
            return render(request, "403.html", status=403)
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)
