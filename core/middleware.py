"""Site-wide middleware: the admin's Content-Security-Policy, the anonymous page cache, and the
compression of what that cache may share, and the friendly error pages in a DEBUG demo.

The admin's policy:

django-csp sets the public site's policy; the admin gets this one. Scripts run only from this
site's own files. The one inline script the admin needs, the rich-text editor's import map, is
allowed by its hash, and only when every module it maps is one of this site's static files: an
import map cannot run code of its own, and one that names nothing but our files cannot bring any
in. Anything else inline, a stored payload included, does not run.
"""

import base64
import hashlib
import json
import logging
import re
import time
from collections import namedtuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe
from django.utils.text import compress_string

from core import clients, page_cache, ratelimit
from core.views import page_not_found, server_error

logger = logging.getLogger("django.request")

ADMIN_POLICY = [
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
]
_IMPORT_MAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def _own_static(url):
    return isinstance(url, str) and url.startswith(settings.STATIC_URL) and ".." not in url


def trusted_import_map_hashes(html):
    """CSP hash sources for the import maps in `html` that map modules to our static files only."""
    hashes = []
    for match in _IMPORT_MAP.finditer(html):
        text = match.group(1)
        try:
            data = json.loads(text)
        except ValueError:
            continue
        targets = list(data.get("imports", {}).values()) + [
            url for scope in data.get("scopes", {}).values() for url in scope.values()
        ]
        if targets and all(_own_static(url) for url in targets):
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return hashes


def admin_policy(html=""):
    hashes = "".join(f" {source}" for source in trusted_import_map_hashes(html))
    return "; ".join(ADMIN_POLICY).format(hashes=hashes)


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix) and "Content-Security-Policy" not in response.headers:
            html = ""
            if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
                html = response.content.decode(response.charset or "utf-8", errors="replace")
            response.headers["Content-Security-Policy"] = admin_policy(html)
        return response


class PageCacheMiddleware:
    """Answers readers without a session from the shared page cache (core.page_cache).

    Placed after SecurityMiddleware and WhiteNoise and before the session middleware, so a hit
    touches no session, no user and no database. A miss renders as usual and is stored only when
    the view marked it cacheable and the response is the same for every such reader: a 200 that
    sets no cookie, carries no message and no CSP nonce. Staff and readers with a session or a
    waiting message never get a stored page, and their copies of public pages are marked private.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.NEWSROOM_PAGE_CACHE:
            return self.get_response(request)
        if not page_cache.shareable(request):
            response = self.get_response(request)
            if getattr(response, "page_cacheable", False):
                _mark_private(response)
            return response
        shape = page_cache.shape(request)
        if shape is None:  # no cacheable view at this address in the URLconf
            response = self.get_response(request)
            if getattr(response, "page_cacheable", False):
                _mark_private(response)  # not stored here, so not for shared caches either
            return response
        if shape.redirect is not None:
            return HttpResponsePermanentRedirect(shape.redirect)
        if shape.private:
            return self._render_alone(request)
        # The view sees the parameters its page uses, in their one spelling: nothing else reaches it,
        # so no variant of the address is echoed into the page (pagination links, say).
        request.GET = QueryDict(shape.query)
        if page_cache.degraded():
            return self._during_outage(request)

        # One round trip for the page and the versions it most likely depends on.
        key = page_cache.page_key(request)
        address = page_cache.address_tag(request.path)
        found = cache.get_many([key, *page_cache.common_version_keys(), page_cache.version_key(address)])
        entry = found.pop(key, None)
        if entry is not None and _is_current(entry, found):
            return _serve(request, entry)

        render = page_cache.RenderLock(key)
        if not render.acquire():
            entry = _wait_for_render(render, key, address)
            if entry is not None:
                return _serve(request, entry)
            found = None  # waited: what was read before is old
        try:
            return self._render(request, key, address, found)
        finally:
            render.release()

    def _render_alone(self, request):
        """A page rendered for this reader only: counted against their renders, never stored."""
        if limited := _too_many_renders(request):
            return limited
        response = self.get_response(request)
        if getattr(response, "page_cacheable", False):
            _mark_private(response)
        return response

    def _render(self, request, key, address, found):
        if limited := _too_many_renders(request):
            return limited
        # Every page depends on the content, the timetable and its own address; the view adds what
        # else it shows. All read before the view reads anything.
        record = request.page_cache = page_cache.PageRecord(
            versions=page_cache.current_versions(
                [page_cache.CONTENT, page_cache.TIMETABLE, address], found=found
            )
        )
        response = self.get_response(request)
        if not getattr(response, "page_cacheable", False):
            return response
        if not _same_for_every_reader(request, response):
            _mark_private(response)
            return response
        versions = record.versions
        record.expire(
            at=page_cache.content_expires_at(
                f"{versions[page_cache.CONTENT]}:{versions[page_cache.TIMETABLE]}"
            )
        )
        timeout = record.timeout()
        if timeout <= 0:
            return response
        entry = _entry(response, record, timeout)
        cache.set(key, entry, timeout=timeout)
        return _serve(request, entry, hit=False)

    def _during_outage(self, request):
        """While Redis cannot be reached: this process's own copies, each kept a few seconds, so readers
        are served near the cached rate and see any change within NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS."""
        seconds = settings.NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS
        if seconds <= 0:
            return self.get_response(request)
        key = page_cache.page_key(request)
        entry = page_cache.outage_copies.get(key)
        if entry is not None:
            return _serve(request, entry)
        if limited := _too_many_renders(request):
            return limited
        record = request.page_cache = page_cache.PageRecord(versions={})
        response = self.get_response(request)
        if not getattr(response, "page_cacheable", False):
            return response
        if not _same_for_every_reader(request, response):
            _mark_private(response)
            return response
        # A scheduled article may lag by the copy's few seconds, as any change may.
        seconds = min(seconds, record.timeout())
        if seconds <= 0:
            return response
        entry = _entry(response, record, seconds)
        page_cache.outage_copies.put(key, entry, seconds)
        return _serve(request, entry, hit=False)


def _too_many_renders(request):
    """The 429 answer once this reader has had NEWSROOM_PAGE_CACHE_MISSES_PER_MINUTE pages rendered for
    them in the minute (pages nobody had stored, or variants only they asked for), else None: whoever
    asks for address after new address cannot turn the cache off for everyone."""
    return ratelimit.limited(
        request,
        "page-renders",
        clients.client_network(request),
        limit=settings.NEWSROOM_PAGE_CACHE_MISSES_PER_MINUTE,
        window=60,
        message="That is a lot of pages in a minute.",
    )


def _wait_for_render(render, key, address):
    """The page another request is rendering, once it is stored; None when that render ends without
    storing it (it failed, or the page is not shared) or takes longer than the wait, and this request
    must render the page itself."""
    deadline = time.monotonic() + settings.NEWSROOM_PAGE_CACHE_RENDER_WAIT
    pause = 0.005
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
        found = cache.get_many(
            [key, render.key, *page_cache.common_version_keys(), page_cache.version_key(address)]
        )
        entry = found.pop(key, None)
        if entry is not None and _is_current(entry, found):
            return entry
        if render.key not in found:
            return None
    return None


def _same_for_every_reader(request, response):
    storage = getattr(request, "_messages", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "'nonce-" not in response.get("Content-Security-Policy", "")
        and not (storage is not None and (storage.added_new or storage.used))
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def _mark_private(response):
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])


# What a stored page holds: the tag versions it was rendered from, the response as sent, and its body
# gzipped once for every reader whose browser accepts it (a hit then compresses nothing).
StoredPage = namedtuple("StoredPage", "versions status headers content gzipped etag last_modified expires")

_NOT_STORED_HEADERS = {"cache-control", "date", "x-page-cache"}


def _gzipped(content):
    """The body gzipped once for every reader who accepts it, or None when that would not save bytes.
    No secret is ever in a stored page, so its compressed size tells nothing
    (see SharedPageGZipMiddleware)."""
    if len(content) < 200:
        return None
    packed = compress_string(content)
    return packed if len(packed) < len(content) else None


def _entry(response, record, timeout):
    if not response.has_header("ETag"):
        set_response_etag(response)
    patch_vary_headers(response, ["Cookie"])
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED_HEADERS]
    return StoredPage(
        versions=record.versions,
        status=response.status_code,
        headers=headers,
        content=response.content,
        gzipped=_gzipped(response.content),
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        expires=time.time() + timeout,
    )


def _is_current(entry, found):
    """Whether every version `entry` was stored under is still current; `found` holds those already read."""
    keys = {page_cache.version_key(tag): version for tag, version in entry.versions.items()}
    unread = [key for key in keys if key not in found]
    if unread:  # a tag beyond the common ones and the page's own address (a listing's window, say)
        found = {**found, **cache.get_many(unread)}
    return all(found.get(key) == version for key, version in keys.items())


def _serve(request, entry, hit=True):
    body = entry.content
    packed = entry.gzipped is not None and re_accepts_gzip.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    if packed:
        body = entry.gzipped
    response = HttpResponse(
        b"" if request.method == "HEAD" else body, status=entry.status, headers=entry.headers
    )
    if packed:
        # As SharedPageGZipMiddleware would answer (which leaves a response already encoded alone).
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(body))
    patch_vary_headers(response, ["Accept-Encoding"])
    # A CDN may hold the page as long as it stays true here, up to its own short allowance.
    shared_seconds = min(settings.NEWSROOM_CDN_SECONDS, max(0, int(entry.expires - time.time())))
    response["Cache-Control"] = f"public, max-age=0, s-maxage={shared_seconds}"
    # Preconditions are checked against the page's own (strong) tag; the gzipped variant then says its
    # tag is weak, as GZipMiddleware does, which If-None-Match still matches.
    response = get_conditional_response(
        request, etag=entry.etag, last_modified=entry.last_modified, response=response
    )
    if packed and entry.etag.startswith('"'):
        response["ETag"] = "W/" + entry.etag
    response["X-Page-Cache"] = "hit" if hit else "miss"  # on a 304 too: it updates the browser's copy
    response.page_cacheable = True  # what was stored is the same for every reader (SharedPageGZipMiddleware)
    return response


class SharedPageGZipMiddleware(GZipMiddleware):
    """Compresses pages, feeds and sitemaps that are the same for every reader without a session.

    BREACH reads a secret out of a compressed body by making the victim's browser send requests with
    guesses reflected beside it and watching the size. A response the page cache may share carries no
    secret by construction: no session, no CSRF token (reader forms fetch theirs when used), nothing
    of one reader's. So those are compressed: here on a miss (with Django's random bytes in the gzip
    header besides), and a page the cache stored keeps its gzipped body beside the plain one,
    compressed once. Everything else (the admin, staff and readers with a session, any response that
    used a CSRF token or sets a cookie) goes out as it is. The ETag becomes weak, which If-None-Match
    compares weakly, so revalidation still answers 304.
    """

    def process_response(self, request, response):
        if (
            not getattr(response, "page_cacheable", False)
            or not page_cache.shareable(request)
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.cookies
        ):
            return response
        return super().process_response(request, response)


class FriendlyErrorPagesMiddleware:
    """In a DEBUG demo (NEWSROOM_FRIENDLY_ERRORS=1, set by `make run`), readers get the site's own 404
    and 500 pages rather than Django's technical ones, which have no phone layout and show internals.

    Production never needs it (DEBUG off: handler404 and handler500 answer), so it removes itself
    unless both settings are on. A view's error is still logged with its traceback to the console.
    """

    def __init__(self, get_response):
        if not (settings.DEBUG and settings.NEWSROOM_FRIENDLY_ERRORS):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Unknown addresses never reach a view, so process_exception does not see them: the
        # technical page is swapped here. JSON and other answers of a 404 are left as they are.
        if (
            response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "friendly_error_page", False)
        ):
            response = self._friendly(page_not_found, request, None)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self._friendly(page_not_found, request, exception)
        if isinstance(exception, (PermissionDenied, SuspiciousOperation)):
            return None  # their own handlers answer 403 and 400
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return self._friendly(server_error, request)

    @staticmethod
    def _friendly(view, request, *args):
        response = view(request, *args)
        response.friendly_error_page = True
        return response
