"""Page metadata: title, description, canonical, Open Graph, Twitter cards and JSON-LD as served."""

import pytest
from django.urls import reverse

from articles import metadata
from articles.models import Article
from articles.views import ArticleDetailView
from core.meta import iso_datetime, json_ld_script
from core.models import SiteSettings
from tests.support import factories
from tests.support.factories_discovery import article_with_hero
from tests.support.parsing import json_ld_blocks, links, meta_content, parse_head

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture
def story():
    source = factories.source(
        name="Lintas News Agency", slug="lintas-news-agency", url="https://lintas.example.com/"
    )
    return article_with_hero(
        title="Nickel smelters </script> expand",
        dek="Output doubles in Sulawesi.",
        authors=[factories.author(name="Budi Santoso", slug="budi-santoso")],
        minerals=[factories.mineral(name="Nickel", slug="nickel")],
        countries=[factories.country(name="Indonesia", slug="indonesia")],
        sources=[source, factories.source(name="Meridian Wire", slug="meridian-wire")],
    )


def test_article_page_has_title_description_and_canonical(client, story):
    """The article page's title, meta description (its dek) and absolute canonical address."""
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert "<title>Nickel smelters &lt;/script&gt; expand · Critical Minerals Desk</title>" in html
    assert meta_content(response, "name", "description") == ["Output doubles in Sulawesi."]
    assert [link["href"] for link in links(response, "canonical")] == [SITE + story.get_absolute_url()]


def test_article_open_graph_and_twitter_tags(client, story):
    """Link previews get the article's title, image, times, section and tags."""
    response = client.get(story.get_absolute_url())
    assert meta_content(response, "property", "og:type") == ["article"]
    assert meta_content(response, "property", "og:title") == [story.title]
    assert meta_content(response, "property", "og:url") == [SITE + story.get_absolute_url()]
    assert meta_content(response, "property", "og:image") == [SITE + story.hero_image.url]
    assert meta_content(response, "property", "og:image:alt") == ["A mine at dusk"]
    assert meta_content(response, "property", "og:site_name") == ["Critical Minerals Desk"]
    assert meta_content(response, "property", "article:published_time") == [iso_datetime(story.publish_at)]
    assert meta_content(response, "property", "article:modified_time")
    assert meta_content(response, "property", "article:section") == [story.section.name]
    assert meta_content(response, "property", "article:tag") == ["Nickel", "Indonesia"]
    assert meta_content(response, "name", "twitter:card") == ["summary_large_image"]
    assert meta_content(response, "name", "twitter:image") == [SITE + story.hero_image.url]


def test_news_article_json_ld(client, story):
    """The article page carries NewsArticle JSON-LD with the keys Google requires and its cited sources."""
    blocks = json_ld_blocks(client.get(story.get_absolute_url()))
    news = next(data for data, _ in blocks if data["@type"] == "NewsArticle")
    assert news["@context"] == "https://schema.org"
    assert news["headline"] == story.title
    assert news["image"] == [SITE + story.hero_image.url]
    assert news["datePublished"] == iso_datetime(story.publish_at)
    assert news["dateModified"]
    assert news["author"] == [
        {"@type": "Person", "name": "Budi Santoso", "url": SITE + "/authors/budi-santoso/"}
    ]
    assert news["publisher"]["name"] == "Critical Minerals Desk" and news["publisher"]["url"] == SITE + "/"
    assert news["mainEntityOfPage"]["@id"] == SITE + story.get_absolute_url()
    cited = [(work["publisher"]["name"], work["url"]) for work in news["isBasedOn"]]
    assert [name for name, _ in cited] == ["Lintas News Agency", "Meridian Wire"]
    assert all(url.startswith("https://example.org/") for _, url in cited)


def test_cited_works_are_described_once_and_published_by_the_outlet(client, story):
    """`citation` points at the works `isBasedOn` describes instead of repeating them; each work's publisher
    is the outlet, with its own website as url and our page on who owns it as the page describing it."""
    news = next(
        data
        for data, _ in json_ld_blocks(client.get(story.get_absolute_url()))
        if data["@type"] == "NewsArticle"
    )
    works = news["isBasedOn"]
    assert news["citation"] == [{"@id": work["@id"]} for work in works]
    assert news["citation"] != works
    lintas = works[0]["publisher"]
    assert lintas == {
        "@type": "NewsMediaOrganization",
        "name": "Lintas News Agency",
        "url": "https://lintas.example.com/",
        "mainEntityOfPage": SITE + "/sources/lintas-news-agency/",
    }
    assert "url" not in works[1]["publisher"]  # an outlet with no website on record is not given ours


def test_breadcrumb_json_ld(client, story):
    """A BreadcrumbList leads from the front page through the section to the article."""
    blocks = json_ld_blocks(client.get(story.get_absolute_url()))
    crumbs = next(data for data, _ in blocks if data["@type"] == "BreadcrumbList")
    items = crumbs["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3]
    assert [item["item"] for item in items] == [
        SITE + "/",
        SITE + story.section.get_absolute_url(),
        SITE + story.get_absolute_url(),
    ]


def test_json_ld_scripts_need_no_csp_nonce(client, story):
    """JSON-LD is data browsers never run: it carries no nonce, and the page's policy names none."""
    response = client.get(story.get_absolute_url())
    blocks = json_ld_blocks(response)
    assert len(blocks) == 2
    assert all("nonce" not in attrs for _, attrs in blocks)
    assert "'nonce-" not in response["Content-Security-Policy"]


def test_json_ld_cannot_close_its_script():
    """Markup in the data is escaped as json_script does, so it cannot end the element."""
    html = json_ld_script({"headline": "</script><script>alert(1)</script> & more"})
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html and "\\u0026" in html


def test_metadata_reads_only_what_the_article_page_prefetched(story, django_assert_num_queries):
    """Open Graph tags and JSON-LD cost no queries beyond those the article page already makes."""
    article = ArticleDetailView.detail_queryset(Article.objects.published()).get(pk=story.pk)
    SiteSettings.current()  # the site's logo and images: read once per process, then from the cache
    with django_assert_num_queries(0):
        metadata.article_open_graph(article)
        metadata.news_article(article)
        metadata.breadcrumbs(article)


def test_preview_has_no_json_ld_and_a_public_canonical(client, story):
    """Staff previews stay out of search engines: noindex, no JSON-LD, canonical to the public address."""
    client.force_login(factories.user(superuser=True))
    response = client.get(story.get_preview_url())
    assert meta_content(response, "name", "robots") == ["noindex, nofollow"]
    assert json_ld_blocks(response) == []
    assert [link["href"] for link in links(response, "canonical")] == [SITE + story.get_absolute_url()]


@pytest.mark.parametrize(
    "url_of",
    [
        lambda story: reverse("articles:front-page"),
        lambda story: story.section.get_absolute_url(),
        lambda story: story.minerals.get().get_absolute_url(),
        lambda story: story.countries.get().get_absolute_url(),
        lambda story: story.sources.first().get_absolute_url(),
        lambda story: story.authors.get().get_absolute_url(),
        lambda story: reverse("articles:mineral-index"),
        lambda story: reverse("articles:country-index"),
        lambda story: reverse("articles:source-register"),
        lambda story: reverse("articles:search") + "?q=nickel",
        lambda story: reverse("newsletter:signup"),
        lambda story: reverse("newsletter:archive"),
    ],
)
def test_every_page_has_title_description_canonical_and_cards(client, story, url_of):
    """Every reader-facing page has a title, a description, a canonical address and OG/Twitter tags."""
    url = url_of(story)
    response = client.get(url)
    assert response.status_code == 200
    head = parse_head(response)
    assert "<title>" in response.content.decode()
    assert meta_content(response, "name", "description")[0]
    canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert canonical == [SITE + url.split("?")[0]]
    for name in ("og:title", "og:description", "og:url", "og:type"):
        assert meta_content(response, "property", name), name
    assert meta_content(response, "name", "twitter:card")


def test_subject_page_cards_use_the_subject(client, story):
    """A mineral page previews as that mineral, and a paginated list keeps its page in the canonical."""
    mineral = story.minerals.get()
    response = client.get(mineral.get_absolute_url())
    assert meta_content(response, "property", "og:title") == ["Nickel · Critical Minerals Desk"]
    for _ in range(13):
        factories.article(minerals=[mineral])
    second = client.get(mineral.get_absolute_url() + "?page=2&utm_source=x")
    assert [link["href"] for link in links(second, "canonical")] == [
        SITE + mineral.get_absolute_url() + "?page=2"
    ]


def test_index_pages_preview_under_their_own_names(client):
    """The tag indexes and the source register have their own Open Graph titles."""
    register = client.get(reverse("articles:source-register"))
    assert meta_content(register, "property", "og:title") == ["Source register"]
    minerals = client.get(reverse("articles:mineral-index"))
    assert meta_content(minerals, "property", "og:title") == ["Minerals"]


def test_canonical_names_the_page_actually_served(client):
    """The canonical page number is the one the paginator served; odd page values never break a page."""
    section = factories.section()
    for _ in range(13):
        factories.article(section=section)
    last = client.get(section.get_absolute_url() + "?page=last")
    assert [link["href"] for link in links(last, "canonical")] == [
        SITE + section.get_absolute_url() + "?page=2"
    ]
    # "²" passes str.isdigit() but not int(): the page is a plain 404, not a server error.
    missing = client.get(section.get_absolute_url() + "?page=²")
    assert missing.status_code == 404
    assert [link["href"] for link in links(missing, "canonical")] == [SITE + section.get_absolute_url()]


def test_publisher_has_the_shipped_logo_until_an_editor_sets_one(client, story):
    """NewsArticle's publisher names the site with a logo ImageObject: the shipped one, with its size."""
    news = next(
        data
        for data, _ in json_ld_blocks(client.get(story.get_absolute_url()))
        if data["@type"] == "NewsArticle"
    )
    assert news["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": SITE + "/static/img/publisher-logo.png",
        "width": 512,
        "height": 512,
    }


def test_article_without_a_photo_offers_the_site_image(client):
    """Without a hero photo, JSON-LD and Open Graph name the site's image for articles rather than none."""
    plain = factories.article(title="No photo today")
    response = client.get(plain.get_absolute_url())
    news = next(data for data, _ in json_ld_blocks(response) if data["@type"] == "NewsArticle")
    assert news["image"] == [SITE + "/static/img/article-default.png"]
    assert meta_content(response, "property", "og:image") == [SITE + "/static/img/article-default.png"]
    assert meta_content(response, "name", "twitter:card") == ["summary"]
