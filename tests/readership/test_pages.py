"""Readership on readers' pages: the beacon script on cached article pages, and "Most read"."""

import re

import pytest
from django.test import Client

from articles.models import Article
from articles.services import article_save
from readership.models import ArticleReads
from tests.support import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True


@pytest.mark.usefixtures("page_cache_on")
def test_the_cached_article_page_is_byte_identical_for_every_reader_and_names_its_article():
    """Two readers, from different addresses and browsers, get the very same bytes, which carry the beacon
    script and the article's id and nothing of either reader."""
    article = f.article()
    first = Client().get(article.get_absolute_url(), REMOTE_ADDR="203.0.113.1", headers={"User-Agent": "A"})
    second = Client().get(article.get_absolute_url(), REMOTE_ADDR="198.51.100.2", headers={"User-Agent": "B"})
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    script = re.search(rb'<script src="[^"]*js/readership\.js"[^>]*>', first.content).group(0)
    assert f'data-article="{article.pk}"'.encode() in script
    assert b'data-beacon="/beacon/"' in script
    assert not first.cookies and not second.cookies


def test_a_preview_sends_no_beacon(client):
    """Staff previewing an article are not counted as its readers."""
    article = f.article(status=Article.Status.DRAFT)
    client.force_login(f.user(group="Editors"))
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 200
    assert b"js/readership.js" not in response.content


def read_today(article, views):
    from django.utils import timezone

    ArticleReads.objects.create(article=article, day=timezone.localdate(), views=views, readers=views)


def most_read_titles(content):
    block = re.search(rb'<section id="most-read".*?</section>', content, re.S)
    return re.findall(rb"<li><a [^>]*>([^<]*)</a>", block.group(0)) if block else None


def test_most_read_is_on_the_front_page_and_beside_articles_in_order_of_reads(client):
    """The front page and every article page show the articles read most, most first."""
    quiet, busy, middling = f.article(title="Quiet"), f.article(title="Busy"), f.article(title="Middling")
    read_today(quiet, 2)
    read_today(busy, 90)
    read_today(middling, 40)
    assert most_read_titles(client.get("/").content) == [b"Busy", b"Middling", b"Quiet"]
    assert most_read_titles(client.get(quiet.get_absolute_url()).content) == [b"Busy", b"Middling", b"Quiet"]


def test_most_read_shows_only_live_articles(client):
    """An article taken down leaves "Most read" at once, whatever its reads."""
    gone, kept = f.article(title="Withdrawn"), f.article(title="Kept")
    read_today(gone, 100)
    read_today(kept, 1)
    gone.status = Article.Status.DRAFT
    article_save(article=gone)
    assert most_read_titles(client.get("/").content) == [b"Kept"]


def test_nothing_read_means_no_block(client):
    """With no reads, the block is not drawn at all (no empty heading)."""
    f.article()
    assert b'id="most-read"' not in client.get("/").content


@pytest.mark.usefixtures("page_cache_on")
def test_most_read_is_kept_as_a_piece_and_dropped_with_the_content(client):
    """The block is kept as a piece under the content version and taken down with an
    unpublished article, as every page's content is."""
    gone, kept = f.article(title="Withdrawn"), f.article(title="Kept")
    read_today(gone, 100)
    read_today(kept, 1)
    assert most_read_titles(client.get("/").content) == [b"Withdrawn", b"Kept"]
    gone.status = Article.Status.DRAFT
    article_save(article=gone)
    assert most_read_titles(client.get("/").content) == [b"Kept"]


def test_the_privacy_page_is_linked_from_every_pages_footer_and_says_what_is_not_counted(client):
    """The footer links to /privacy/, which names the opt-outs honoured and the salt's deletion."""
    article = f.article()
    for path in ("/", article.get_absolute_url()):
        footer = client.get(path).content.decode().split('<footer class="site-footer">')[1]
        assert 'href="/privacy/">Privacy</a>' in footer
    page = client.get("/privacy/").content.decode()
    for promise in ("Do Not Track", "Global Privacy Control", "deleted at midnight", "no tracking pixel"):
        assert promise in page
