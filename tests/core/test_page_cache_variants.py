"""One cached copy per page, whatever is asked: attacks that try to skip the page cache or fill it with
copies of one page, and fail."""

import re
import secrets
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from core.page_cache import _PAGE_PREFIX
from tests.support import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True


@pytest.fixture
def front_pages():
    """Enough stories for a second front page."""
    return [f.article(title=f"Story {n}") for n in range(16)]


class PageStores:
    """Counts the pages the cache stores."""

    def __init__(self):
        self.keys = []

    def __enter__(self):
        real = cache.set

        def counting(key, *args, **kwargs):
            if str(key).startswith(_PAGE_PREFIX):
                self.keys.append(key)
            return real(key, *args, **kwargs)

        self.patch = mock.patch.object(cache, "set", side_effect=counting)
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()


def test_200_junk_parameter_variants_are_served_from_one_entry(client):
    """Tracking tags and random parameters neither skip the cache nor store copies: one entry, 200 hits."""
    story = f.article(title="Antimony stockpile")
    url = story.get_absolute_url()
    with PageStores() as stores:
        assert client.get(url)["X-Page-Cache"] == "miss"
        answers = [
            client.get(url, {f"utm_{secrets.token_hex(3)}": secrets.token_hex(8), "x": str(n)})
            for n in range(200)
        ]
    assert all(answer["X-Page-Cache"] == "hit" for answer in answers)
    assert len(set(stores.keys)) == 1


@pytest.mark.parametrize(
    "variant",
    ["?page=02", "?page=%EF%BC%92", "?page=1&page=2", "?page=2&utm_source=mail", "?page=+2", "?page=002"],
)
def test_spellings_of_a_page_number_share_its_entry(client, front_pages, variant):
    """Leading zeros, fullwidth digits, a repeated parameter and junk beside it are all page 2's entry."""
    assert client.get("/?page=2")["X-Page-Cache"] == "miss"
    with PageStores() as stores:
        response = client.get("/" + variant)
    assert response["X-Page-Cache"] == "hit" and not stores.keys


@pytest.mark.parametrize("variant", ["?page=1", "?page=01", "?page=", "?page=%EF%BC%91"])
def test_spellings_of_the_first_page_are_the_front_page(client, front_pages, variant):
    """The first page's number, however written, is the front page's own entry."""
    client.get("/")
    assert client.get("/" + variant)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "variant", ["?page=0", "?page=-1", "?page=abc", "?page=1_0", "?page=2.0", "?page=99"]
)
def test_page_numbers_that_are_not_pages_are_404_and_stored_nowhere(client, front_pages, variant):
    """A number that is no page answers 404, and nothing is stored for it."""
    with PageStores() as stores:
        assert client.get("/" + variant).status_code == 404
    assert not stores.keys


@pytest.mark.parametrize("host", ["testserver:80", "testserver.", "testserver.:8000"])
def test_the_host_spelled_another_way_is_the_same_entry(client, host):
    """A port or a trailing dot on the site's own host makes no new entry."""
    story = f.article()
    client.get(story.get_absolute_url())
    with PageStores() as stores:
        response = client.get(story.get_absolute_url(), HTTP_HOST=host)
    assert response["X-Page-Cache"] == "hit" and not stores.keys


def test_a_host_that_is_not_the_sites_is_refused(client):
    """A host outside ALLOWED_HOSTS is refused (400), never served or stored."""
    story = f.article()
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url(), HTTP_HOST="evil.example").status_code == 400


def test_the_variant_address_is_never_echoed_into_the_stored_page(client, front_pages):
    """Junk parameters reach neither the canonical link nor the pagination links of the page stored."""
    html = client.get("/?page=02&utm_campaign=INJECTED&page=2").content.decode()
    assert "INJECTED" not in html and "utm_campaign" not in html
    assert re.search(r'rel="canonical" href="https?://[^"/]+/\?page=2"', html)
    assert 'rel="prev" href="?page=1"' in html


def test_a_slug_in_fullwidth_letters_moves_to_the_pages_own_address(client):
    """A slug spelled in fullwidth letters is redirected to the page's address, not stored as a copy."""
    f.article(slug="cobalt-deal")
    response = client.get("/news/ｃｏｂａｌｔ-ｄｅａｌ/?utm_source=x")
    assert response.status_code == 301 and response["Location"] == "/news/cobalt-deal/"


@pytest.mark.parametrize(
    "cookie", ["sessionid=junk", "sessionid=" + "a" * 32, "messages=junk", "messages=W10:1abc:xyz"]
)
def test_junk_cookies_do_not_skip_the_cache(client, cookie):
    """A made-up session or message cookie is served the stored page like any reader."""
    story = f.article()
    client.get(story.get_absolute_url())
    response = Client(HTTP_COOKIE=cookie).get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"


def test_renders_are_bounded_per_client(settings):
    """One client asking for page after page nobody has stored gets 429 past the limit; hits still
    answer, and another reader's renders are theirs."""
    settings.NEWSROOM_PAGE_CACHE_MISSES_PER_MINUTE = 3
    stories = [f.article() for _ in range(5)]
    flooder, reader = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.2")
    statuses = [flooder.get(story.get_absolute_url()).status_code for story in stories[:4]]
    assert statuses == [200, 200, 200, 429]
    assert flooder.get(stories[0].get_absolute_url())["X-Page-Cache"] == "hit"
    assert reader.get(stories[4].get_absolute_url()).status_code == 200
