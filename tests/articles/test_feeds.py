"""RSS and Atom feeds: parsed as XML, live articles only, full content, bylines, tags and hero enclosures."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.support import factories
from tests.support.factories_discovery import article_with_hero
from tests.support.parsing import links, parse_xml

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


@pytest.fixture
def story():
    writer = factories.author(name="Ana Ruiz", slug="ana-ruiz")
    source = factories.source(name="Harbour News Agency", slug="harbour-news-agency")
    article = article_with_hero(
        title="Gallium exports resume",
        dek="Licences granted to three firms.",
        body='<p>Full text with <a href="/sources/harbour-news-agency/">a link</a> & detail.</p>',
        authors=[writer],
        sources=[source],
        minerals=[factories.mineral(name="Gallium", slug="gallium")],
        countries=[factories.country(name="China", slug="china")],
    )
    return article


def rss_items(response):
    return parse_xml(response).find("channel").findall("item")


def test_site_rss_lists_live_articles_only(client, story):
    """The site's RSS feed lists live articles and never drafts, reviews or scheduled ones."""
    factories.article(title="Draft piece", status=Article.Status.DRAFT)
    factories.article(title="In review piece", status=Article.Status.IN_REVIEW)
    factories.article(title="Tomorrow's piece", publish_at=timezone.now() + timedelta(hours=2))
    items = rss_items(client.get(reverse("articles:feed")))
    assert [item.findtext("title") for item in items] == ["Gallium exports resume"]


def test_rss_item_carries_full_content_author_categories_and_enclosure(client, story):
    """An RSS item has the dek as description, the absolute body, the byline, tags and the hero photo."""
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response).find("channel")
    assert channel.findtext("link") == "https://news.example.org/"
    (item,) = channel.findall("item")
    assert item.findtext("link") == "https://news.example.org" + story.get_absolute_url()
    assert item.findtext("description") == "Licences granted to three firms."
    content = item.findtext(CONTENT)
    assert (
        'href="https://news.example.org/sources/harbour-news-agency/"' in content
        and "&amp; detail" in content
    )
    assert item.findtext(DC_CREATOR) == "Ana Ruiz"
    assert sorted(c.text for c in item.findall("category")) == sorted(
        ["China", "Gallium", story.section.name]
    )
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == "https://news.example.org" + story.hero_image.url
    assert enclosure.get("type") == "image/png"
    assert int(enclosure.get("length")) == story.hero_image.size > 0
    assert item.findtext("pubDate")


def test_atom_entry_carries_content_author_with_uri_and_enclosure(client, story):
    """The Atom feed has summary and html content, the author with a link, categories and an enclosure
    link."""
    response = client.get(reverse("articles:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_xml(response)
    assert root.tag == f"{ATOM}feed"
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Gallium exports resume"
    assert entry.findtext(f"{ATOM}summary") == "Licences granted to three firms."
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and "Full text with" in content.text
    author = entry.find(f"{ATOM}author")
    assert author.findtext(f"{ATOM}name") == "Ana Ruiz"
    assert author.findtext(f"{ATOM}uri") == "https://news.example.org/authors/ana-ruiz/"
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {
        "China",
        "Gallium",
        story.section.name,
    }
    enclosure = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert enclosure and enclosure[0].get("type") == "image/png"
    assert entry.findtext(f"{ATOM}published") and entry.findtext(f"{ATOM}updated")
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == "https://news.example.org" + reverse("articles:feed-atom")


@pytest.mark.parametrize(
    "kind, subject_of",
    [
        ("section", lambda story: story.section),
        ("mineral", lambda story: story.minerals.get()),
        ("country", lambda story: story.countries.get()),
        ("source", lambda story: story.sources.get()),
        ("author", lambda story: story.authors.get()),
    ],
)
def test_subject_feeds_list_only_their_articles(client, story, kind, subject_of):
    """Each section, mineral, country, source and author has RSS and Atom feeds of its own articles."""
    factories.article(title="Unrelated story")
    subject = subject_of(story)
    rss = client.get(reverse(f"articles:{kind}-feed", kwargs={"slug": subject.slug}))
    assert [item.findtext("title") for item in rss_items(rss)] == ["Gallium exports resume"]
    assert subject.name in parse_xml(rss).find("channel").findtext("title")
    atom = parse_xml(client.get(reverse(f"articles:{kind}-feed-atom", kwargs={"slug": subject.slug})))
    assert [entry.findtext(f"{ATOM}title") for entry in atom.findall(f"{ATOM}entry")] == [
        "Gallium exports resume"
    ]


def test_subject_feed_for_unknown_slug_is_404(client):
    """A feed for a subject that does not exist answers 404."""
    assert client.get(reverse("articles:mineral-feed", kwargs={"slug": "unobtainium"})).status_code == 404


def test_feed_queries_do_not_grow_with_items(client, django_assert_num_queries):
    """A feed costs a fixed number of queries however many articles, authors and tags it carries."""
    mineral = factories.mineral()
    for _ in range(12):
        factories.article(authors=[factories.author()], minerals=[mineral], countries=[factories.country()])
    # articles with sections, then authors, minerals and countries
    with django_assert_num_queries(4):
        response = client.get(reverse("articles:feed"))
    assert len(rss_items(response)) == 12
    # the mineral, then the same four
    with django_assert_num_queries(5):
        client.get(reverse("articles:mineral-feed", kwargs={"slug": mineral.slug}))


def test_pages_advertise_their_feeds(client, story):
    """The front page links the site feeds; subject pages link their own feeds first."""
    front = links(client.get(reverse("articles:front-page")), "alternate")
    assert {(link["type"], link["href"]) for link in front} == {
        ("application/rss+xml", reverse("articles:feed")),
        ("application/atom+xml", reverse("articles:feed-atom")),
    }
    mineral = story.minerals.get()
    page = links(client.get(mineral.get_absolute_url()), "alternate")
    assert page[0]["href"] == reverse("articles:mineral-feed", kwargs={"slug": mineral.slug})
    assert page[1]["href"] == reverse("articles:mineral-feed-atom", kwargs={"slug": mineral.slug})
    for subject in (story.section, story.countries.get(), story.sources.get(), story.authors.get()):
        hrefs = [link["href"] for link in links(client.get(subject.get_absolute_url()), "alternate")]
        assert hrefs[0].startswith(subject.get_absolute_url()) and hrefs[0].endswith("/feed/")


def test_item_guid_survives_a_slug_change(client, story):
    """Renaming an article keeps its RSS guid and Atom id, so feed readers do not show it twice."""
    (item,) = rss_items(client.get(reverse("articles:feed")))
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text == f"tag:news.example.org,{story.created_at:%Y-%m-%d}:article:{story.pk}"
    atom_id = parse_xml(client.get(reverse("articles:feed-atom"))).find(f"{ATOM}entry/{ATOM}id").text
    assert atom_id == guid.text
    story.slug = "gallium-exports-resume-after-review"
    story.save()
    (renamed,) = rss_items(client.get(reverse("articles:feed")))
    assert renamed.findtext("link").endswith("/gallium-exports-resume-after-review/")
    assert renamed.findtext("guid") == guid.text


def test_scheduled_article_is_updated_when_it_goes_live(client, story):
    """An entry's Atom <updated> is never before its <published>, as when an edit predates the schedule."""
    went_live = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    Article.objects.filter(pk=story.pk).update(
        content_updated_at=went_live - timedelta(days=2), publish_at=went_live
    )
    entry = parse_xml(client.get(reverse("articles:feed-atom"))).find(f"{ATOM}entry")
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == went_live
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == went_live


@pytest.mark.parametrize("name", ["articles:feed", "articles:feed-atom"])
def test_feed_answers_an_unchanged_poll_with_304(client, story, name):
    """A feed reader that sends back Last-Modified or the ETag gets 304 and no body until something
    changes."""
    first = client.get(reverse(name))
    assert first["Last-Modified"] and first["ETag"]
    assert client.get(reverse(name), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    unchanged = client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""
    factories.article(title="Fresh story")
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_feeds_carry_required_elements_and_parseable_dates(client, story):
    """RSS has channel title/link/description and RFC 822 dates; Atom has id/title/updated and RFC 3339
    dates."""
    from email.utils import parsedate_to_datetime

    channel = parse_xml(client.get(reverse("articles:feed"))).find("channel")
    assert all(channel.findtext(name) for name in ("title", "link", "description"))
    (item,) = channel.findall("item")
    assert parsedate_to_datetime(item.findtext("pubDate")) == story.publish_at.replace(microsecond=0)
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) >= story.publish_at.replace(microsecond=0)
    root = parse_xml(client.get(reverse("articles:feed-atom")))
    assert all(root.findtext(f"{ATOM}{name}") for name in ("id", "title", "updated"))
    (entry,) = root.findall(f"{ATOM}entry")
    assert all(entry.findtext(f"{ATOM}{name}") for name in ("id", "title", "updated"))
    published = datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published == story.publish_at
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) >= published


def test_atom_entry_has_one_author_element_per_author(client):
    """Co-authors each get their own <author> with name and page, in byline order; none is merged."""
    ana, budi = (
        factories.author(name="Ana Ruiz", slug="ana-ruiz"),
        factories.author(name="Budi Santoso", slug="budi"),
    )
    factories.article(title="Joint report", authors=[budi, ana])
    factories.article(title="Desk report")
    entries = {
        entry.findtext(f"{ATOM}title"): entry
        for entry in parse_xml(client.get(reverse("articles:feed-atom"))).findall(f"{ATOM}entry")
    }
    authors = [
        (a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri"))
        for a in entries["Joint report"].findall(f"{ATOM}author")
    ]
    assert authors == [
        ("Ana Ruiz", "https://news.example.org/authors/ana-ruiz/"),
        ("Budi Santoso", "https://news.example.org/authors/budi/"),
    ]
    assert entries["Desk report"].findall(f"{ATOM}author") == []  # the feed's own author stands for the desk


@pytest.mark.parametrize("kind", ["section", "mineral", "author"])
def test_control_characters_in_names_do_not_break_feeds(client, kind):
    """A subject or headline with a control character (XML 1.0 cannot carry it) still gives a well-formed
    feed."""
    subject = {"section": factories.section, "mineral": factories.mineral, "author": factories.author}[kind](
        name="Rare\x0b earths\x1b desk"
    )
    relation = {
        "section": {"section": subject},
        "mineral": {"minerals": [subject]},
        "author": {"authors": [subject]},
    }
    factories.article(title="Bell\x07 rings", **relation[kind])
    for suffix in ("feed", "feed-atom"):
        root = parse_xml(client.get(reverse(f"articles:{kind}-{suffix}", kwargs={"slug": subject.slug})))
        text = "".join(root.itertext())
        assert "Bell rings" in text and "Rare earths desk" in text
