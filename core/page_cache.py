"""The anonymous page cache: whole public pages kept in the shared cache and dropped the moment
anything they show changes.

A page is stored with the version of every *tag* it was rendered from: the epoch, `CONTENT`,
`TIMETABLE` and the tag of its own address always, and whatever its view declares (`@cacheable(tags=...)`
or `depends_on`), or `EVERY_CHANGE` when it declares nothing narrower. A change calls
`invalidate(tag, ...)`, which gives each tag a new random version once the change is committed; a
stored page whose versions are no longer current is never served again. Versions are read *before*
the data they guard, so a page rendered while a change commits is stored under the old version and
dropped at once.

Invalidating `CONTENT` drops every page. Depending on `CONTENT` (a piece, or a page that declares
nothing) means depending on every change: an app that narrows its invalidation to the pages that
show what changed also bumps `EVERY_CHANGE` with each change, so what has not said what it shows
still drops.

Time changes pages too: a scheduled article goes live, comments close. A view tells the cache
when its page stops being true (`expires`) and the entry lives no longer than that.

Views opt in with `@cacheable`; PageCacheMiddleware (core.middleware) serves and stores. See
docs/page-cache.md for the whole design.
"""

import functools
import hashlib
import math
import secrets
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.encoding import iri_to_uri

CONTENT = "content"
# Bumped with every narrowed change: the tag of pages and pieces that declare nothing narrower.
EVERY_CHANGE = "every-change"
# Bumped when a moment registered with register_expiry may have moved (an article scheduled or
# unscheduled): every page depends on it, since each is kept no longer than the next such moment.
TIMETABLE = "timetable"
# What every page's navigation shows (the sections, say).
NAV = "nav"
# Every page and piece depends on the epoch too: a new epoch drops everything stored at once (after
# a Redis outage, when invalidations made meanwhile may have gone to one process's memory only).
EPOCH = "epoch"
_VERSION_PREFIX = "page-cache:version:"
# Versioned with the shape of a stored page (core.middleware.StoredPage), so servers of two releases
# sharing one Redis never read each other's entries.
_PAGE_PREFIX = "page-cache:page:2:"
_FRAGMENT_PREFIX = "page-cache:fragment:"


def enabled():
    """Whether pages are shared now: switched on, and the shared cache reachable (while Redis is down,
    one process could not see another's invalidations, so nothing is served or stored)."""
    return settings.NEWSROOM_PAGE_CACHE and not degraded()


def degraded():
    return bool(getattr(cache, "down_since", None))


def start_new_epoch():
    """Drop every stored page and piece, and this process's outage copies (called when Redis comes back
    after an outage)."""
    cache.set(version_key(EPOCH), secrets.token_hex(8), timeout=None)
    outage_copies.clear()


def _max_seconds():
    """The longest any page is kept, changed or not (exactness never depends on it)."""
    return settings.NEWSROOM_PAGE_CACHE_SECONDS


def address_tag(path):
    """The tag of what the page at `path` shows beyond the content every page shares (an article's
    discussion, say). A hit reads its version in the same round trip as the page itself."""
    # Hashed: any reader may send a long address, and a cache key must stay short.
    return "address:" + hashlib.sha256(iri_to_uri(path).encode()).hexdigest()


def version_key(tag):
    return _VERSION_PREFIX + tag


def _version_keys(tags):
    return {version_key(tag): tag for tag in tags}


def expand(tags):
    """`tags` with what they imply: depending on CONTENT is depending on every change."""
    tags = set(tags)
    if CONTENT in tags:
        tags.add(EVERY_CHANGE)
    return tags


# Tags so many pages depend on that a hit reads their versions in its one round trip with the page.
_common_tags = [EPOCH, CONTENT, TIMETABLE, NAV, EVERY_CHANGE]


def read_with_every_hit(*tags):
    """Have a hit read `tags` with the page in one round trip (an app calls it in AppConfig.ready()
    for a tag most of its pages depend on, such as the newest headlines beside every article)."""
    for tag in tags:
        if tag not in _common_tags:
            _common_tags.append(tag)


def common_version_keys():
    return [version_key(tag) for tag in _common_tags]


def current_versions(tags, found=None):
    """{tag: version} for `tags` and the epoch, giving a tag seen for the first time (or evicted) a fresh
    version. `found` holds version keys already read in this request's first round trip."""
    keys = _version_keys({*tags, EPOCH})
    if found is not None and all(key in found for key in keys):
        return {tag: found[key] for key, tag in keys.items()}
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=None)
        found.update(cache.get_many(missing))
    return {keys[key]: version for key, version in found.items()}


def invalidate(*tags):
    """Drop every stored page rendered from any of `tags`, once the current transaction commits.

    Bumping before the commit would let a reader store the old rows under the new version.
    """
    tags = set(tags)
    if tags:
        transaction.on_commit(lambda: _bump(tags))


def invalidate_when_committed(find_tags):
    """Drop every stored page rendered from any of the tags `find_tags()` returns, calling it once the
    current transaction commits: a change whose pages are worked out from the rows as committed (and
    whose saving should not wait on that work)."""
    transaction.on_commit(lambda: _bump(set(find_tags())))


def _bump(tags):
    if tags:
        cache.set_many({key: secrets.token_hex(8) for key in _version_keys(tags)}, timeout=None)
        if degraded():
            # Other processes cannot hear of it until Redis is back; this one's readers see it at once.
            outage_copies.clear()


class OutageCopies:
    """This process's own short-lived copies of public pages, served while the shared cache cannot be
    reached (when invalidations made by one process cannot reach another, so no copy may live longer
    than readers may lag: NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS). Bounded by NEWSROOM_PAGE_CACHE_OUTAGE_BYTES,
    the least recently used copy going first; emptied when Redis is back (the new epoch)."""

    def __init__(self):
        self._copies = OrderedDict()  # key -> (entry, dies_at, size)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._copies.get(key)
            if found is None:
                return None
            if found[1] <= time.monotonic():
                self._drop(key)
                return None
            self._copies.move_to_end(key)
            return found[0]

    def put(self, key, entry, seconds):
        size = len(entry.content) + len(entry.gzipped or b"")
        limit = settings.NEWSROOM_PAGE_CACHE_OUTAGE_BYTES
        if seconds <= 0 or size > limit:
            return
        with self._lock:
            if key in self._copies:
                self._drop(key)
            self._copies[key] = (entry, time.monotonic() + seconds, size)
            self._bytes += size
            while self._bytes > limit:
                self._drop(next(iter(self._copies)))

    def _drop(self, key):
        self._bytes -= self._copies.pop(key)[2]

    def clear(self):
        with self._lock:
            self._copies.clear()
            self._bytes = 0

    def __len__(self):
        return len(self._copies)

    @property
    def size(self):
        return self._bytes


outage_copies = OutageCopies()


@dataclass
class PageRecord:
    """What a miss learns while the view renders: may the page be shared, what it depends on, until when."""

    versions: dict
    cacheable: bool = False
    expires_at: datetime | None = None
    max_age: int | None = None

    def expire(self, *, at=None, seconds=None):
        if at is not None:
            self.expires_at = at if self.expires_at is None else min(self.expires_at, at)
        if seconds is not None:
            self.max_age = seconds if self.max_age is None else min(self.max_age, seconds)

    def timeout(self):
        """Seconds the page may be kept, or 0 when it may not be stored at all."""
        seconds = _max_seconds()
        if self.max_age is not None:
            seconds = min(seconds, self.max_age)
        if self.expires_at is not None:
            seconds = min(seconds, int((self.expires_at - timezone.now()).total_seconds()))
        return max(seconds, 0)


_expiry_sources = []


def register_expiry(source):
    """Add `source`, a callable returning the next moment content changes by itself (or None).

    Apps register one in AppConfig.ready(); articles registers the next scheduled publication.
    """
    if source not in _expiry_sources:
        _expiry_sources.append(source)
    return source


def content_expires_at(version):
    """The next moment any page may change with no edit to announce it, as of `version` (of the
    content and the timetable).

    Worked out once per version (a change of schedule bumps TIMETABLE, so it gets a new version) and
    kept until that moment.
    """
    key = f"page-cache:expiry:{version}"
    moment = cache.get(key)
    if moment is None:
        moments = [when for when in (source() for source in _expiry_sources) if when is not None]
        moment = min(moments) if moments else "never"
        timeout = (
            _max_seconds() if moment == "never" else max(1, int((moment - timezone.now()).total_seconds()))
        )
        cache.set(key, moment, timeout=timeout)
    return None if moment == "never" else moment


def _record(request):
    return getattr(request, "page_cache", None)


def depends_on(request, *tags):
    """The page being rendered shows data guarded by `tags`; call before reading that data."""
    record = _record(request)
    if record is not None:
        record.versions.update(current_versions([tag for tag in expand(tags) if tag not in record.versions]))


def expires(request, *, at=None, seconds=None):
    """The page being rendered stops being true at `at`, or may lag by up to `seconds`."""
    record = _record(request)
    if record is not None:
        record.expire(at=at, seconds=seconds)


def shareable(request):
    """Could this request be answered with what every reader without a session gets?

    Not with a signed-in session (staff), a waiting message (a reader who just posted or liked), or
    credentials; only GET and HEAD. A session or message cookie that holds nothing (made up, expired,
    or signed by no one) makes no difference: it cannot turn the cache off.
    """
    known = getattr(request, "_page_cache_shareable", None)
    if known is None:
        known = request._page_cache_shareable = (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and not _signed_in(request)
            and not _messages_waiting(request)
        )
    return known


def _signed_in(request):
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    session = getattr(request, "session", None)
    if session is None or session.session_key != key:
        session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return bool(session.get(SESSION_KEY))


def _messages_waiting(request):
    if not request.COOKIES.get(CookieStorage.cookie_name):
        return False
    messages, _ = CookieStorage(request)._get()
    return bool(messages)


def fragment(name, *, tags, render, timeout=None, request=None):
    """A piece of a page kept under the current versions of `tags`: `render()` runs only when one
    of them changed (or the piece is older than `timeout` seconds, at most NEWSROOM_PAGE_CACHE_SECONDS
    so pieces of old versions do not pile up). Exact in the same way as pages.

    Independent of the whole-page switch: with NEWSROOM_PAGE_CACHE=0 pages are rendered afresh
    from their kept pieces; NEWSROOM_FRAGMENT_CACHE=0 renders every piece too. Given the `request`,
    a reader who is not shared pages (staff, or a reader just shown a message after liking) gets
    the piece rendered afresh, so what they just did shows at once.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE or degraded() or (request is not None and not shareable(request)):
        return render()
    versions = sorted(current_versions(expand(tags)).items())
    key = _FRAGMENT_PREFIX + hashlib.sha256(f"{name}|{versions}".encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, timeout=min(timeout or _max_seconds(), _max_seconds()))
    return value


def page_number(value):
    """A page number in one spelling: None for the first page (the address without it), else its ASCII
    digits, or "last"; ValueError for anything else (the view answers 404, which is never stored)."""
    value = unicodedata.normalize("NFKC", value).strip()
    if value in ("", "last"):
        return value or None
    if not value.isascii() or not value.isdigit():
        raise ValueError(value)
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return None if number == 1 else str(number)


def as_given(value):
    """A parameter's value in one spelling (its compatibility form: fullwidth letters as plain ones)."""
    return unicodedata.normalize("NFKC", value)


# How parameters named in a plain list are read: page numbers by their usual names, others as given.
_KNOWN_PARAMETERS = {"page": page_number, "p": page_number}


def cacheable(view=None, *, query=(), tags=None, private_query=()):
    """Mark a view's pages as the same for every reader without a session: the middleware may share them.

    `query` names the parameters the page uses, as a list (page numbers for "page" and "p", any
    other value as given) or a dict of name to normaliser (`page_number`, `as_given` or a function
    of the value raising ValueError when it is not one). Any other parameter is left out of the page's
    cache key and out of what the view sees, so junk parameters and other spellings of the same
    address (`?page=01`, fullwidth digits, a repeated parameter) share one stored copy. A parameter
    in `private_query` makes the page the reader's own (a no-script reply form): rendered, never
    stored.

    `tags` says what the page shows beyond its own address (whose tag every page depends on): a list
    of tags, or a function of the request and the view's arguments returning them, worked out from
    the address alone before the view reads anything. Without it the page depends on every change.
    """
    if not isinstance(query, dict):
        query = {name: _KNOWN_PARAMETERS.get(name, as_given) for name in query}

    def decorator(view):
        allowed = frozenset(query)

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if _record(request) is not None:
                declared = [EVERY_CHANGE] if tags is None else tags
                if callable(declared):
                    declared = declared(request, *args, **kwargs)
                depends_on(request, *declared)  # before the view reads what they guard
            response = view(request, *args, **kwargs)
            if set(request.GET) <= allowed:
                response.page_cacheable = True
                record = _record(request)
                if record is not None:
                    record.cacheable = True
            return response

        wrapper.page_cache_query = dict(query)
        wrapper.page_cache_private = frozenset(private_query)
        return wrapper

    return decorator(view) if view is not None else decorator


@dataclass(frozen=True)
class Shape:
    """A shareable request to a cacheable page, in its one spelling."""

    query: str  # the parameters the page uses, normalised, in order
    redirect: str | None = None  # the path in its one spelling, when the request's was another
    private: bool = False  # a parameter making the page the reader's own


@functools.lru_cache(maxsize=4096)  # addresses come from anyone: the memo stays bounded
def _page_parameters(path_info, urlconf):
    """(query normalisers, private parameters) of the cacheable view at `path_info`, or None."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    query = getattr(match.func, "page_cache_query", None)
    return None if query is None else (query, match.func.page_cache_private)


def shape(request):
    """The request's page in its one spelling, or None when no cacheable view answers its address."""
    found = _page_parameters(request.path_info, getattr(request, "urlconf", None))
    if found is None:
        return None
    normalisers, private = found
    if private & set(request.GET):
        return Shape(query="", private=True)
    path = unicodedata.normalize("NFKC", request.path)
    parts = []
    for name, normalise in sorted(normalisers.items()):
        values = request.GET.getlist(name)
        if not values:
            continue
        try:
            value = normalise(values[-1])
        except ValueError:
            value = values[-1]  # the view refuses it
        if value is not None:
            parts.append((name, value))
    query = urlencode(parts)
    if path != request.path:  # a slug in fullwidth letters, say: the same page, at its own address
        return Shape(query=query, redirect=iri_to_uri(path) + (f"?{query}" if query else ""))
    return Shape(query=query)


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _page_parameters.cache_clear()


class RenderLock:
    """One render per missing page across every server: the first request to miss takes a short lock in
    the shared cache, and the others wait for its page (core.middleware). The lock lives no longer than
    the wait, so a render that dies without releasing it holds nobody past that."""

    def __init__(self, page_key):
        self.key = "page-cache:render:" + page_key.rsplit(":", 1)[-1]
        self.token = None

    def acquire(self):
        token = secrets.token_hex(8)
        seconds = max(1, math.ceil(settings.NEWSROOM_PAGE_CACHE_RENDER_WAIT))
        if cache.add(self.key, token, timeout=seconds):
            self.token = token
            return True
        return False

    def release(self):
        # Only our own: a render that outlived its lock must not end another's.
        if self.token is not None and cache.get(self.key) == self.token:
            cache.delete(self.key)
        self.token = None


def page_key(request):
    """The cache key of the page at this request's address: scheme, path and the parameters the page
    uses (request.GET, in its one spelling once the middleware has read it). Not the host: every host
    Django accepts (ALLOWED_HOSTS, checked here) is this site, and a port or a trailing dot makes no
    other page."""
    request.get_host()
    address = f"{request.scheme}://{iri_to_uri(request.path)}?{request.GET.urlencode()}"
    return _PAGE_PREFIX + hashlib.sha256(address.encode()).hexdigest()
