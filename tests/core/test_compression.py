"""HTML, feeds and sitemaps go out compressed when they carry no secret; anything that may, goes out as it
is."""

import gzip

import pytest
from django.urls import reverse

from tests.support import factories as f

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def story():
    return f.article(
        title="Gallium licences tighten", body="<p>" + "Exporters wait for permits. " * 40 + "</p>"
    )


def shared_addresses(story):
    return [
        reverse("articles:front-page"),
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:sitemap"),
        reverse("articles:news-sitemap"),
        reverse("newsletter:archive"),
    ]


def test_shared_pages_feeds_and_sitemaps_are_gzipped(client, story):
    """Every kind of shared response is gzip-encoded for a client that accepts it, and unpacks to the same
    bytes."""
    for url in shared_addresses(story):
        plain = client.get(url)
        packed = client.get(url, **GZIP)
        assert packed.status_code == 200, url
        assert packed["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in packed["Vary"], url
        assert gzip.decompress(packed.content) == plain.content, url
        assert len(packed.content) < len(plain.content), url


def test_clients_that_do_not_ask_get_plain_bytes(client, story):
    """Without Accept-Encoding: gzip the page goes out as it is (and says the answer varies by it)."""
    response = client.get(story.get_absolute_url())
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")


def test_nothing_that_may_hold_a_secret_is_compressed(client, admin_client, story):
    """Pages for staff, the admin (CSRF tokens) and a search (reflects what it is sent) go out
    uncompressed."""
    assert not admin_client.get(story.get_absolute_url(), **GZIP).has_header("Content-Encoding")
    assert not admin_client.get(reverse("admin:index"), **GZIP).has_header("Content-Encoding")
    assert not client.get(reverse("admin:login"), **GZIP).has_header("Content-Encoding")
    search = client.get(reverse("articles:search") + "?q=gallium", **GZIP)
    assert search.status_code == 200 and not search.has_header("Content-Encoding")


def test_cached_pages_are_compressed_on_a_hit_and_revalidate(client, story, settings):
    """From the page cache too: miss and hit are gzipped, and the weak ETag they carry still gets a 304."""
    settings.NEWSROOM_PAGE_CACHE = True
    url = story.get_absolute_url()
    miss, hit = client.get(url, **GZIP), client.get(url, **GZIP)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert miss["Content-Encoding"] == hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == gzip.decompress(miss.content) == client.get(url).content
    assert hit["ETag"].startswith('W/"')
    again = client.get(url, HTTP_IF_NONE_MATCH=hit["ETag"], **GZIP)
    assert again.status_code == 304


def test_a_hit_is_compressed_once_when_stored_not_on_every_request(client, story, settings):
    """The page cache keeps the gzipped body beside the plain one: serving a hit compresses nothing."""
    from unittest import mock

    settings.NEWSROOM_PAGE_CACHE = True
    url = story.get_absolute_url()
    client.get(url, **GZIP)
    with mock.patch("django.middleware.gzip.compress_string") as compress:
        hit = client.get(url, **GZIP)
    assert hit["X-Page-Cache"] == "hit" and hit["Content-Encoding"] == "gzip"
    assert compress.call_count == 0
    assert gzip.decompress(hit.content) == client.get(url).content


def test_a_gzipped_hit_checks_preconditions_against_the_pages_own_tag(client, story, settings):
    """If-Match with the page's strong tag passes on a gzipped hit (a weak tag never matches If-Match)."""
    settings.NEWSROOM_PAGE_CACHE = True
    url = story.get_absolute_url()
    strong = client.get(url)["ETag"]
    hit = client.get(url, HTTP_IF_MATCH=strong, **GZIP)
    assert hit["X-Page-Cache"] == "hit" and hit.status_code == 200 and hit["Content-Encoding"] == "gzip"
    assert hit["ETag"] == "W/" + strong
