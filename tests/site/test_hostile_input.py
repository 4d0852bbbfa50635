"""Every URL pattern, sent the hostile corpus by every method, anonymously and as staff, answers without a
5xx."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from newsletter import tokens
from tests.support import factories as f
from tests.support import factories_comments as cf
from tests.support import factories_newsletter as nf
from tests.support.hostile_corpus import FIELD_NAMES, HUGE_NUMBER, ONE_MEGABYTE, RAW_QUERY_VALUES, VALUES

pytestmark = pytest.mark.django_db

PATH_HOSTILE = ["abc", HUGE_NUMBER, "%00", quote("🙂")]
METHODS = ["HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]
HEALTH_CHECKS = {"/newsletter/health/", "/healthz"}
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def url_patterns():
    """Every route of the project as (route, name), regex routes left out (they are tried by hand below)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and not route.startswith("^"):
                yield prefix + route, pattern.name

    return list(walk(get_resolver().url_patterns))


@pytest.fixture
def world():
    """One of everything a page can show, so real addresses exist beside the hostile ones."""
    mineral, country, author, source = f.mineral(), f.country(), f.author(), f.source()
    article = f.article(minerals=[mineral], countries=[country], authors=[author], sources=[source])
    comment = cf.comment(article=article)
    reader = nf.subscriber()
    update = nf.daily_update(articles=[article], audience=[reader], status="sent", sent_at=timezone.now())
    token = tokens.make(tokens.CONFIRM, reader)
    slugs = [article.slug, article.section.slug, mineral.slug, country.slug, source.slug, author.slug]
    return {
        "slug": slugs,
        "int": [str(article.pk), str(comment.pk)],
        "str": [token, tokens.make(tokens.UNSUBSCRIBE, reader), tokens.make(tokens.TOPICS, reader)],
        "isodate": [update.date.isoformat(), "2026-02-31"],
        "path": [str(article.pk), str(comment.pk), str(reader.pk), str(update.pk)],
        None: ["articles", "minerals", "nope"],
    }


def concrete_paths(world):
    """Each route filled with real values and with hostile ones its converters let through."""
    paths = set()
    for route, _name in url_patterns():
        slots = list(CONVERTER.finditer(route))
        if not slots:
            paths.add("/" + route)
            continue
        choices = [world.get(slot["kind"], []) + PATH_HOSTILE for slot in slots]
        # Every real combination would explode; each slot's values with the others at their first value.
        combos = {tuple(choice[0] for choice in choices)}
        for index, choice in enumerate(choices):
            for value in choice:
                combo = [c[0] for c in choices]
                combo[index] = value
                combos.add(tuple(combo))
        for combo in combos:
            path = route
            for slot, value in zip(slots, combo, strict=True):
                path = path.replace(slot.group(0), value, 1)
            paths.add("/" + path)
    return sorted(paths)


QUERIES = [
    *("&".join(f"{name}={quote(value)}" for name in FIELD_NAMES) for value in VALUES),
    *("&".join(f"{name}={raw}" for name in FIELD_NAMES) for raw in RAW_QUERY_VALUES),
]
FORMS = [
    *({name: value for name in FIELD_NAMES} for value in VALUES),
    {name: [HUGE_NUMBER, "abc", "\x00"] for name in FIELD_NAMES},
    {"body_text": ONE_MEGABYTE, "email": ONE_MEGABYTE, "q": ONE_MEGABYTE, "title": ONE_MEGABYTE},
]
# Each address gets a few of each kind, in turn, so the whole corpus is sent to many addresses of
# every kind without sending all of it to every address (which would take minutes).
PER_ADDRESS = 2


def rotation(items, index, count=PER_ADDRESS):
    return [items[(index * count + offset) % len(items)] for offset in range(count)]


RAW_BODIES = [
    ("application/x-www-form-urlencoded; charset=utf-16", "email=reader@example.org".encode("utf-16")),
    ("application/x-www-form-urlencoded; charset=latin-1", b"email=r\xe9ader@example.org&author_name=\xff"),
    ("application/x-www-form-urlencoded", b"email=\xff\xfe\xfd&body_text=%ff%fe"),
    ("application/x-www-form-urlencoded; charset=no-such-charset", b"email=a@example.org"),
    ("multipart/form-data; boundary=nothing", b"--broken\r\n\r\n"),
    ("application/json", b'{"email": "a@example.org"'),
]


def requests_for(path, index):
    """(method, path with query, form or raw body, content type) for the index-th address."""
    yield "GET", path, None, None
    for query in rotation(QUERIES, index):
        yield "GET", f"{path}?{query}", None, None
    for form in rotation(FORMS, index):
        yield "POST", path, form, None
    for content_type, body in rotation(RAW_BODIES, index, 1):
        yield "POST", path, body, content_type
    for method in rotation(METHODS, index, 1):
        yield method, path, None, None


def send(client, method, path, body, content_type):
    if method == "GET":
        return client.get(path)
    if method == "POST" and content_type is None:
        return client.post(path, body)
    return client.generic(method, path, body or b"", content_type=content_type or "application/octet-stream")


def failures_for(client, paths):
    failures = []
    for index, path in enumerate(paths):
        for method, url, body, content_type in requests_for(path, index):
            try:
                response = send(client, method, url, body, content_type)
            except Exception as error:  # noqa: BLE001 - an exception here is a 500 in production
                failures.append(f"{method} {url[:120]} raised {type(error).__name__}: {str(error)[:160]}")
                continue
            # A health check's 503 is its answer ("a person is needed"), not a failure to answer.
            if response.status_code >= 500 and not (path in HEALTH_CHECKS and response.status_code == 503):
                failures.append(f"{method} {url[:120]} answered {response.status_code}")
    return failures


def report(failures):
    unique = sorted(set(failures))
    return f"{len(unique)} requests answered 5xx:\n" + "\n".join(unique[:60])


def test_public_addresses_never_answer_5xx(world):
    """Every public URL, sent the corpus as an anonymous reader, answers 2xx, 3xx or 4xx."""
    client = Client(raise_request_exception=False)
    paths = [path for path in concrete_paths(world) if not path.startswith("/admin/")]
    failures = failures_for(client, paths)
    assert not failures, report(failures)


def test_admin_addresses_never_answer_5xx(world):
    """Every admin URL, sent the corpus by a signed-in superuser, answers 2xx, 3xx or 4xx."""
    client = Client(raise_request_exception=False)
    client.force_login(f.user(superuser=True))
    paths = [path for path in concrete_paths(world) if path.startswith("/admin/") and "logout" not in path]
    failures = failures_for(client, paths)
    assert not failures, report(failures)


def test_the_walk_reaches_every_kind_of_page(world):
    """The walk covers the public site, the reader forms, feeds, sitemaps and the admin (so it cannot pass by
    walking nothing)."""
    paths = concrete_paths(world)
    for expected in (
        "/search/",
        "/newsletter/",
        "/comments/post/",
        "/feed/",
        "/sitemap.xml",
        "/admin/articles/article/",
        "/admin/newsletter/dailyupdate/",
    ):
        assert any(path.startswith(expected) for path in paths), expected
    assert len(paths) > 150
    # Across the walk, every hostile query, form and raw body is sent many times.
    sent = [request for index, path in enumerate(paths) for request in requests_for(path, index)]
    assert {url.partition("?")[2] for _, url, _, _ in sent} >= set(QUERIES)
    assert sum(1 for request in sent if request[3] is not None) >= len(RAW_BODIES) * 10
