"""Structured data a search engine fully understands: the site, its search and its publisher, and image
sizes."""

import pytest
from django.urls import reverse

from core.models import SiteSettings
from tests.support import factories
from tests.support.factories_discovery import article_with_hero, png_upload
from tests.support.parsing import json_ld_blocks, meta_content

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


def graph_nodes(response):
    return {
        node["@type"]: node for data, _ in json_ld_blocks(response) for node in data.get("@graph", [data])
    }


def test_front_page_names_the_website_and_its_search(client):
    """The front page's WebSite has a SearchAction whose URL template is the site's working search page."""
    story = factories.article(title="Nickel smelters expand")
    nodes = graph_nodes(client.get(reverse("articles:front-page")))
    site = nodes["WebSite"]
    assert site["url"] == SITE + "/" and site["name"] == "Critical Minerals Desk"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["query-input"] == "required name=search_term_string"
    template = action["target"]["urlTemplate"]
    assert template == SITE + reverse("articles:search") + "?q={search_term_string}"
    search = client.get(template.removeprefix(SITE).replace("{search_term_string}", "nickel"))
    assert search.status_code == 200 and f'href="{story.get_absolute_url()}"' in search.content.decode()


def test_publisher_is_one_organisation_with_name_url_and_logo_everywhere(client):
    """The WebSite's publisher and every NewsArticle's publisher are the same NewsMediaOrganization node."""
    story = factories.article()
    nodes = graph_nodes(client.get(reverse("articles:front-page")))
    organisation = nodes["NewsMediaOrganization"]
    assert nodes["WebSite"]["publisher"] == {"@id": organisation["@id"]}
    assert organisation["name"] == "Critical Minerals Desk" and organisation["url"] == SITE + "/"
    assert organisation["logo"]["url"] == SITE + "/static/img/publisher-logo.png"
    news = graph_nodes(client.get(story.get_absolute_url()))["NewsArticle"]
    assert news["publisher"] == organisation


def test_an_editor_logo_replaces_the_shipped_one_in_structured_data(client):
    """The publisher logo is the editable site setting once an editor uploads one, with its own size."""
    SiteSettings(logo=png_upload("logo.png", size=(300, 120))).save()
    organisation = graph_nodes(client.get(reverse("articles:front-page")))["NewsMediaOrganization"]
    assert organisation["logo"]["url"].startswith(SITE + "/media/site/logo")
    assert (organisation["logo"]["width"], organisation["logo"]["height"]) == (300, 120)


def test_website_is_only_on_the_front_page(client):
    """Other pages (a section, the second page of the front page) do not repeat the WebSite block."""
    section = factories.section()
    for _ in range(13):
        factories.article(section=section)
    assert "WebSite" not in graph_nodes(client.get(section.get_absolute_url()))
    assert "WebSite" not in graph_nodes(client.get(reverse("articles:front-page") + "?page=2"))


def test_article_preview_image_has_its_size(client):
    """og:image comes with og:image:width and og:image:height: the hero's own size."""
    story = article_with_hero()
    response = client.get(story.get_absolute_url())
    assert meta_content(response, "property", "og:image:width") == [str(story.hero_width)]
    assert meta_content(response, "property", "og:image:height") == [str(story.hero_height)]


def test_site_image_has_its_size_on_articles_without_a_photo_and_other_pages(client):
    """Without a hero, and on pages that are not articles, og:image is the site's image with its size."""
    plain = factories.article()
    for url in (plain.get_absolute_url(), reverse("articles:front-page"), plain.section.get_absolute_url()):
        response = client.get(url)
        assert meta_content(response, "property", "og:image") == [SITE + "/static/img/article-default.png"], (
            url
        )
        assert meta_content(response, "property", "og:image:width") == ["1200"], url
        assert meta_content(response, "property", "og:image:height") == ["675"], url
