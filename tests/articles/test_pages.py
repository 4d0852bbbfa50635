"""Every public page: what it shows, what it hides, and what it costs in queries."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Source
from articles.services import article_save, correction_save
from tests.support import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    china = f.country(name="China", slug="china", iso_code="CN")
    neodymium = f.mineral(name="Neodymium", slug="neodymium", symbol="Nd")
    disclaimer = f.disclaimer(text="{source} is state media in {country}, controlled by {controller}.")
    agency = f.source(
        name="Harbour News Agency",
        slug="harbour-news-agency",
        kind=Source.Kind.STATE_MEDIA,
        country=china,
        owner="State Council",
        controlled_by="Central Propaganda Department",
        default_disclaimer=disclaimer,
    )
    writer = f.author(name="Mei Lin", slug="mei-lin", bio="Covers rare earths from Singapore.")
    return f.article(
        title="Magnet makers face new export checks",
        slug="magnet-export-checks",
        dek="Licences now needed for rare-earth magnet shipments.",
        highlights="Licences required from March\nApplies to NdFeB magnets",
        body="<p>The ministry said...</p>",
        hero_caption="A magnet plant",
        hero_credit="Desk",
        authors=[writer],
        minerals=[neodymium],
        countries=[china],
        sources=[agency],
        is_featured=True,
    )


def test_article_page_shows_everything_a_reader_needs(client, story):
    """Section, title, dates, byline, highlights, body, sources panel with badges, disclaimer, tags, bio,
    recent."""
    other = f.article(title="Lithium prices slide", section=story.section)
    page = client.get(story.get_absolute_url()).content.decode()
    for expected in (
        story.section.name,
        "Magnet makers face new export checks",
        "Licences now needed",
        "<li>Licences required from March</li>",
        "<li>Applies to NdFeB magnets</li>",
        'href="/authors/mei-lin/"',
        "<p>The ministry said...</p>",
        "Harbour News Agency",
        "State media",
        "State Council",
        "Central Propaganda Department",
        "Single source",
        "State media only",
        "Harbour News Agency is state media in China, controlled by Central Propaganda Department.",
        'href="/minerals/neodymium/"',
        'href="/countries/china/"',
        "Covers rare earths from Singapore.",
        "Lithium prices slide",
        other.get_absolute_url(),
        f'datetime="{story.publish_at.replace(microsecond=0).isoformat()}"',
    ):
        assert expected in page, expected


@pytest.mark.parametrize(
    "status, delta",
    [
        (Article.Status.DRAFT, -1),
        (Article.Status.IN_REVIEW, -1),
        (Article.Status.PUBLISHED, +1),
    ],
)
def test_unpublished_articles_are_404_for_readers_and_visible_to_staff_in_preview(client, status, delta):
    """Drafts, articles in review and scheduled articles are invisible to the public and previewable by
    staff."""
    hidden = f.article(status=status, publish_at=timezone.now() + timedelta(days=delta))
    assert client.get(hidden.get_absolute_url()).status_code == 404
    preview = client.get(hidden.get_preview_url())
    assert preview.status_code == 302 and "/login/" in preview["Location"]
    for listing in ("/", hidden.section.get_absolute_url()):
        assert hidden.title not in client.get(listing).content.decode()

    client.force_login(f.user(group="Writers"))
    preview = client.get(hidden.get_preview_url())
    assert preview.status_code == 200
    body = preview.content.decode()
    assert hidden.title in body and "Preview:" in body and 'content="noindex, nofollow"' in body


def test_front_page_has_lead_tier_latest_and_sections(client, story):
    """The front page leads with the featured article, then the second tier, the latest and sections, and
    lists no headline twice (no "Recent news" repeating "Latest")."""
    latest = f.article(title="Cobalt output rises")
    page = client.get("/").content.decode()
    assert page.index("Magnet makers face new export checks") < page.index("Cobalt output rises")
    assert 'aria-label="Featured"' in page and "Sections" in page and story.section.name in page
    assert "Recent news" not in page
    assert page.count(f'href="{latest.get_absolute_url()}"') == 1


@pytest.mark.parametrize("page_of", ["section", "mineral", "country", "source", "author"])
def test_listing_pages_show_their_articles_only(client, story, page_of):
    """Each section, mineral, country, source and author page lists its live articles and nothing else; its
    side column carries the latest headlines from the whole desk."""
    unrelated = f.article(title="Unrelated story")
    draft = f.article(
        title="Draft story",
        status=Article.Status.DRAFT,
        section=story.section,
        authors=story.authors.all(),
        minerals=story.minerals.all(),
        countries=story.countries.all(),
        sources=[story.lead_source],
    )
    subject = {
        "section": story.section,
        "mineral": story.minerals.first(),
        "country": story.countries.first(),
        "source": story.lead_source,
        "author": story.authors.first(),
    }[page_of]
    page = client.get(subject.get_absolute_url()).content.decode()
    listing, side = page.split('class="listing__side"', 1)
    assert story.title in listing
    assert unrelated.title not in listing and draft.title not in page
    # The side column is the desk's: the latest headlines from every section, never a draft.
    assert "Recent articles" in side and unrelated.title in side


def test_source_page_shows_ownership_facts(client, story):
    """A source page tells readers who owns and controls the outlet."""
    page = client.get("/sources/harbour-news-agency/").content.decode()
    for fact in (
        "State media",
        "China",
        "State Council",
        "Central Propaganda Department",
        "Articles citing Harbour News Agency",
    ):
        assert fact in page


def test_listing_pages_paginate(client, settings):
    """Lists split into pages with working next links; a page past the end is 404."""
    section = f.section()
    for n in range(settings.ARTICLES_PER_PAGE + 2):
        f.article(section=section, publish_at=timezone.now() - timedelta(minutes=n))
    first = client.get(section.get_absolute_url()).content.decode()
    assert 'rel="next" href="?page=2"' in first
    second = client.get(section.get_absolute_url() + "?page=2")
    assert second.status_code == 200 and "Page 2 of 2" in second.content.decode()
    assert client.get(section.get_absolute_url() + "?page=9").status_code == 404


def test_register_and_tag_indexes(client, story):
    """The source register and the mineral and country indexes list what readers can browse."""
    assert "Harbour News Agency" in client.get(reverse("articles:source-register")).content.decode()
    assert "Neodymium" in client.get(reverse("articles:mineral-index")).content.decode()
    assert "China" in client.get(reverse("articles:country-index")).content.decode()


def test_unknown_objects_are_404(client):
    """Unknown slugs answer 404 with the site's own page."""
    for url in (
        "/news/nope/",
        "/section/nope/",
        "/minerals/nope/",
        "/countries/nope/",
        "/sources/nope/",
        "/authors/nope/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_is_friendly():
    """The 500 handler renders the site's own page without touching the database."""
    from django.test import RequestFactory

    from core.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_security_headers_and_csp(client, story):
    """Public pages carry a CSP without unsafe-inline scripts, nosniff and a referrer policy."""
    response = client.get(story.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("cached", [False, True])
def test_every_response_refuses_browser_features_no_page_uses(client, story, settings, cached):
    """Public pages (served fresh or from the page cache), the admin and errors carry a Permissions-Policy."""
    settings.NEWSROOM_PAGE_CACHE = cached
    client.get(story.get_absolute_url())
    for path in (story.get_absolute_url(), "/admin/login/", "/no-such-page/"):
        policy = client.get(path)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def _article_with(n):
    section = f.section()
    article = f.article(
        section=section,
        authors=[f.author() for _ in range(n)],
        minerals=[f.mineral() for _ in range(n)],
        countries=[f.country() for _ in range(n)],
        sources=[f.source(country=f.country(), default_disclaimer=f.disclaimer()) for _ in range(n)],
    )
    return article


def test_article_page_query_count_does_not_grow(client, django_assert_num_queries):
    """The article page costs the same with one tag, author and citation as with eight, 40 revisions and 12
    corrections."""
    small, large = _article_with(1), _article_with(8)
    for n in range(40):
        large.dek = f"Revised standfirst {n}."
        article_save(article=large)
    for n in range(12):
        correction_save(
            correction=Correction(article=large, kind=Correction.Kind.choices[n % 3][0], text=f"Fix {n}.")
        )
    assert large.revisions.count() == 53
    for _ in range(3):
        f.article()
    client.get(small.get_absolute_url())  # warm anything cached per process
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(large.get_absolute_url()).status_code == 200


def test_listing_query_count_does_not_grow(client, django_assert_num_queries):
    """A listing page costs the same whether it shows two articles or twelve."""
    few, many = f.section(), f.section()
    for _ in range(2):
        f.article(section=few, authors=[f.author(), f.author()])
    for _ in range(12):
        f.article(section=many, authors=[f.author(), f.author()])
    client.get(few.get_absolute_url())  # warm anything cached per process (the site settings)
    with django_assert_num_queries(LISTING_QUERIES):
        client.get(few.get_absolute_url())
    with django_assert_num_queries(LISTING_QUERIES):
        client.get(many.get_absolute_url())


def test_front_page_sections_follow_the_editors_order(client):
    """The sections box lists sections by their position, then name, not by name or creation order."""
    f.article(section=f.section(name="Analysis", slug="analysis", position=3))
    f.article(section=f.section(name="Markets", slug="markets", position=1))
    f.article(section=f.section(name="Policy", slug="policy", position=2))
    f.article(section=f.section(name="Briefs", slug="briefs", position=2))
    names = [section.name for section in client.get("/").context["sections"]]
    assert names == ["Markets", "Briefs", "Policy", "Analysis"]


# article, authors, minerals, countries, citations (with sources), corrections, recent articles,
# related articles (one query, by shared minerals and countries; none for an untagged article),
# navigation, comment thread; revisions are never read by the page
ARTICLE_PAGE_QUERIES = 10
# section, count, page of articles, their authors, navigation, and the side column's two kept pieces
# (most discussed, recent articles: one query each when rendered, none once kept)
LISTING_QUERIES = 7


def test_machine_readable_times_carry_no_microseconds(client):
    """Every <time datetime> is ISO 8601 to the second: HTML allows at most three fraction digits."""
    import re

    from django.utils import timezone

    article = f.article(publish_at=timezone.now().replace(microsecond=889667) - timedelta(hours=2))
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
        stamps = re.findall(r'<time datetime="([^"]+)"', client.get(url).content.decode())
        assert stamps and all(
            re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp) for stamp in stamps
        ), stamps
