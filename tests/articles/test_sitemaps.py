"""Sitemaps and robots.txt: parsed as XML and checked for the elements their schemas require."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.support import factories
from tests.support.parsing import parse_xml

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITE = "https://news.example.org"


def locations(root, element="url"):
    return [node.findtext(f"{SM}loc") for node in root.findall(f"{SM}{element}")]


def assert_w3c_datetime(value):
    assert datetime.fromisoformat(value).tzinfo is not None, value


@pytest.fixture
def live():
    author = factories.author()
    mineral = factories.mineral()
    country = factories.country()
    source = factories.source()
    article = factories.article(authors=[author], minerals=[mineral], countries=[country], sources=[source])
    return {"article": article, "author": author, "mineral": mineral, "country": country, "source": source}


def test_index_lists_every_section_sitemap_on_the_site_url(client, live):
    """sitemap.xml is a sitemapindex whose entries name SITE_URL addresses that serve urlsets."""
    response = client.get(reverse("articles:sitemap"))
    root = parse_xml(response)
    assert root.tag == f"{SM}sitemapindex"
    entries = locations(root, "sitemap")
    for section in ("pages", "articles", "sections", "minerals", "countries", "sources", "authors"):
        assert f"{SITE}/sitemap-{section}.xml" in entries
    for entry in entries:
        urlset = parse_xml(client.get(entry.removeprefix(SITE)))
        assert urlset.tag == f"{SM}urlset"
    article_entry = [
        node for node in root.findall(f"{SM}sitemap") if node.findtext(f"{SM}loc").endswith("articles.xml")
    ]
    assert_w3c_datetime(article_entry[0].findtext(f"{SM}lastmod"))


def test_article_sitemap_has_live_articles_with_lastmod(client, live):
    """The article sitemap lists live articles, each with loc and lastmod; drafts and scheduled stay out."""
    draft = factories.article(status=Article.Status.DRAFT)
    scheduled = factories.article(publish_at=timezone.now() + timedelta(days=1))
    root = parse_xml(client.get(reverse("articles:sitemap-section", kwargs={"section": "articles"})))
    urls = root.findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in urls] == [SITE + live["article"].get_absolute_url()]
    assert_w3c_datetime(urls[0].findtext(f"{SM}lastmod"))
    assert draft.get_absolute_url() not in client.get("/sitemap-articles.xml").content.decode()
    assert scheduled.slug not in client.get("/sitemap-articles.xml").content.decode()


@pytest.mark.parametrize(
    "section, key",
    [("minerals", "mineral"), ("countries", "country"), ("sources", "source"), ("authors", "author")],
)
def test_subject_sitemaps_list_subjects_with_live_articles(client, live, section, key):
    """Tags, sources and authors appear once they have a live article, dated by it."""
    builders = {
        "minerals": factories.mineral,
        "countries": factories.country,
        "sources": factories.source,
        "authors": factories.author,
    }
    idle = builders[section]()
    root = parse_xml(client.get(reverse("articles:sitemap-section", kwargs={"section": section})))
    urls = root.findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in urls] == [SITE + live[key].get_absolute_url()]
    assert SITE + idle.get_absolute_url() not in list(root.itertext())
    assert_w3c_datetime(urls[0].findtext(f"{SM}lastmod"))


def test_section_and_page_sitemaps(client, live):
    """Sections with live articles and the fixed pages are listed."""
    sections = locations(parse_xml(client.get("/sitemap-sections.xml")))
    assert sections == [SITE + live["article"].section.get_absolute_url()]
    pages = locations(parse_xml(client.get("/sitemap-pages.xml")))
    assert SITE + "/" in pages and SITE + reverse("articles:source-register") in pages


def test_news_sitemap_lists_the_last_two_days(client, live):
    """The news sitemap has recent live articles with publication name, language, date and title."""
    factories.article(title="Old news", publish_at=timezone.now() - timedelta(days=3))
    factories.article(title="Draft news", status=Article.Status.DRAFT)
    root = parse_xml(client.get(reverse("articles:news-sitemap")))
    assert root.tag == f"{SM}urlset"
    (url,) = root.findall(f"{SM}url")
    assert url.findtext(f"{SM}loc") == SITE + live["article"].get_absolute_url()
    news = url.find(f"{NEWS}news")
    publication = news.find(f"{NEWS}publication")
    assert publication.findtext(f"{NEWS}name") == "Critical Minerals Desk"
    assert publication.findtext(f"{NEWS}language") == "en"
    assert_w3c_datetime(news.findtext(f"{NEWS}publication_date"))
    assert news.findtext(f"{NEWS}title") == live["article"].title


def test_news_sitemap_escapes_titles(client):
    """Titles with XML specials come out as well-formed XML."""
    factories.article(title='Rare earths & "magnets" <analysis>')
    root = parse_xml(client.get(reverse("articles:news-sitemap")))
    assert root.find(f"{SM}url/{NEWS}news/{NEWS}title").text == 'Rare earths & "magnets" <analysis>'


def test_news_sitemap_is_valid_when_empty(client):
    """With nothing recent, the news sitemap is an empty but well-formed urlset."""
    root = parse_xml(client.get(reverse("articles:news-sitemap")))
    assert root.tag == f"{SM}urlset" and list(root) == []


def test_robots_points_at_both_sitemaps(client):
    """robots.txt names the sitemap index and the news sitemap by absolute address."""
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
    assert "Disallow: /preview/" in lines


def test_index_cost_does_not_grow_with_articles(client, django_assert_num_queries):
    """The index asks each sitemap for its size and newest date, never loading every article."""
    for _ in range(15):
        factories.article()
    # each of the six database-backed sitemaps: a count for its pages and its newest date
    with django_assert_num_queries(12):
        client.get(reverse("articles:sitemap"))


def test_a_scheduled_article_is_dated_by_going_live(client, live):
    """An article last edited before its scheduled time counts as modified when it went live."""
    went_live = timezone.now() - timedelta(minutes=5)
    Article.objects.filter(pk=live["article"].pk).update(
        content_updated_at=went_live - timedelta(days=3), publish_at=went_live
    )
    index = parse_xml(client.get(reverse("articles:sitemap")))
    for section in ("articles", "minerals", "sections"):
        (entry,) = [
            node
            for node in index.findall(f"{SM}sitemap")
            if node.findtext(f"{SM}loc").endswith(f"-{section}.xml")
        ]
        assert datetime.fromisoformat(entry.findtext(f"{SM}lastmod")) == went_live.replace(microsecond=0), (
            section
        )
        (url,) = parse_xml(client.get(f"/sitemap-{section}.xml")).findall(f"{SM}url")
        assert datetime.fromisoformat(url.findtext(f"{SM}lastmod")) == went_live.replace(microsecond=0), (
            section
        )


def test_sitemaps_answer_an_unchanged_fetch_with_304(client, live):
    """Crawlers that send back the ETag of the index, a child sitemap or the news sitemap get 304."""
    for url in (reverse("articles:sitemap"), "/sitemap-articles.xml", reverse("articles:news-sitemap")):
        first = client.get(url)
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, url
