"""Old WordPress addresses answer 301 to where the content lives now: permalinks with their dates,
?p=ID, former slugs, category and tag archives and feeds, through the anonymous page cache too,
and never to anything that is not live."""

import pytest
from django.urls import reverse

from articles.models import Article
from importer.models import OldAddress

from .conftest import run_import

pytestmark = pytest.mark.django_db

NEW = "/news/lithium-prices-slide/"


@pytest.fixture
def imported(subjects):
    run_import()


@pytest.mark.parametrize(
    "old",
    [
        "/2024/03/05/lithium-prices-slide/",  # the date-based permalink
        "/2024/03/05/lithium-prices-slide",  # without its slash
        "/2024/03/05/lithium-prices-fall/",  # a former slug (_wp_old_slug)
        "/?p=101",
    ],
)
def test_old_addresses_of_a_post_redirect_permanently(client, imported, old):
    """Every old address of an imported post answers 301 with the article's address."""
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == NEW


def test_archives_and_feeds_go_to_sections_tags_and_the_feed(client, imported, subjects):
    """Category and tag archives (nested ones too) go to section and tag pages; their feeds to theirs."""
    prices = Article.objects.get(slug="lithium-prices-slide").section
    assert client.get("/category/markets/prices/")["Location"] == prices.get_absolute_url()
    assert client.get("/category/prices/")["Location"] == prices.get_absolute_url()
    assert client.get("/tag/white-gold/")["Location"] == subjects["lithium"].get_absolute_url()
    assert client.get("/tag/cl/feed/")["Location"] == reverse(
        "articles:country-feed", kwargs={"slug": "chile"}
    )
    assert client.get("/feed/rss2/")["Location"] == reverse("articles:feed")
    assert client.get("/?feed=rss2")["Location"] == reverse("articles:feed")
    assert client.get("/feed/").status_code == 200


def test_nothing_unpublished_is_redirected_to(client, imported):
    """A scheduled or draft post's old address is a plain 404, as its new one is."""
    assert client.get("/?p=103").status_code == 200  # the front page, not the scheduled article
    assert client.get("/?p=105").status_code == 200
    assert OldAddress.objects.filter(path="/?p=103").exists()
    unpublished = Article.objects.get(slug="lithium-prices-slide")
    unpublished.status = Article.Status.DRAFT
    unpublished.save()
    assert client.get("/2024/03/05/lithium-prices-slide/").status_code == 404


def test_redirect_follows_a_later_rename(client, imported):
    """An old address points at the article, not a copy of its address: a rename here is followed."""
    from articles.services import article_save

    live = Article.objects.get(slug="lithium-prices-slide")
    live.slug = "lithium-slides"
    article_save(article=live)
    assert client.get("/2024/03/05/lithium-prices-slide/")["Location"] == "/news/lithium-slides/"


def test_redirects_are_right_through_the_page_cache(client, imported, settings):
    """With the shared page cache on, old addresses still redirect every time and the front page's
    stored copy never answers for ?p=ID."""
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    for _ in range(2):
        response = client.get("/?p=101")
        assert response.status_code == 301 and response["Location"] == NEW
        response = client.get("/2024/03/05/lithium-prices-slide/")
        assert response.status_code == 301 and response["Location"] == NEW


def test_a_redirect_costs_two_queries(client, imported, django_assert_num_queries):
    """An old address is answered with one lookup and the check that its article is live."""
    with django_assert_num_queries(2):
        assert client.get("/?p=101").status_code == 301
