"""The conformance gate: one page of every kind, rendered from the demo content, is valid HTML to the Nu
Html Checker; every feed parses in feedparser without a flag; the article's JSON-LD has every field
Google's article guidelines list. Skipped without Java and the checker; an error in CI (.ci/run)."""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import feedparser
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import get_resolver, reverse
from django.utils import timezone

from articles import feeds
from articles.models import Article, Correction
from newsletter import tokens
from newsletter.daily_updates import daily_update_run
from newsletter.models import Subscriber
from tests.support import conformance
from tests.support.parsing import parse_head

# django_db: the test database is set up only for modules that ask for it; the demo is loaded once, below.
pytestmark = [pytest.mark.conformance, pytest.mark.django_db]

SETTINGS = {
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    "NEWSROOM_PAGE_CACHE": False,
    "NEWSROOM_FRAGMENT_CACHE": False,
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


@dataclass
class DemoSite:
    pages: dict = field(default_factory=dict)  # kind -> (address, HTML)
    feeds: dict = field(default_factory=dict)  # address -> bytes
    checked: dict = field(default_factory=dict)  # kind -> Nu Html Checker messages
    article_url: str = ""


def page_addresses(client):
    """One address of every kind of page readers see, from the demo content."""
    article = (
        Article.objects.published()
        .annotate(shown=Count("comments", filter=Q(comments__status="approved")))
        .order_by("-shown", "-publish_at")
        .first()
    )
    assert article.shown, "the demo has an article with comments"
    source = article.sources.first()
    pending = Subscriber.objects.create(email="conformance@example.org")
    reader = Subscriber.objects.active().first()
    # The send is queued on commit, which this transaction never reaches: run those callbacks as commits
    # would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        update = daily_update_run(
            date=timezone.localdate(Article.objects.published().latest("publish_at").publish_at)
        )
    update.daily_update.refresh_from_db()
    assert update.daily_update.status == "sent", "the demo has articles for a daily update, sent"
    return {
        "front": reverse("articles:front-page"),
        "article-with-comments": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "mineral": article.minerals.first().get_absolute_url(),
        "country": article.countries.first().get_absolute_url(),
        "source": source.get_absolute_url(),
        "author": article.authors.first().get_absolute_url(),
        "mineral-index": reverse("articles:mineral-index"),
        "country-index": reverse("articles:country-index"),
        "source-register": reverse("articles:source-register"),
        "corrections": reverse("articles:corrections"),
        "search": reverse("articles:search") + "?q=lithium",
        "search-nothing-found": reverse("articles:search") + "?q=zzzyzx",
        "newsletter-signup": reverse("newsletter:signup"),
        "newsletter-confirm": reverse("newsletter:confirm", args=[tokens.make(tokens.CONFIRM, pending)]),
        "newsletter-topics": reverse("newsletter:topics", args=[tokens.make(tokens.TOPICS, reader)]),
        "newsletter-unsubscribe": reverse(
            "newsletter:unsubscribe", args=[tokens.make(tokens.UNSUBSCRIBE, reader)]
        ),
        "newsletter-archive": reverse("newsletter:archive"),
        "newsletter-archive-update": update.daily_update.get_absolute_url(),
        "tracker": reverse("tracker:list"),
        "tracker-filtered": reverse("tracker:list") + "?status=in_force&on=2024-01-01&mineral=gallium",
        "tracker-measure": reverse("tracker:measure", args=["china-october-2025-export-controls"]),
        "privacy": reverse("readership:privacy"),
        "not-found": "/no-such-page/",
    }, article


def feed_addresses(article):
    addresses = [
        *feeds.feed_links(),
        reverse("articles:corrections-feed"),
        reverse("articles:corrections-feed-atom"),
        reverse("tracker:feed"),
        reverse("tracker:feed-atom"),
        reverse("tracker:mineral-feed", args=["gallium"]),
        reverse("tracker:country-feed-atom", args=["china"]),
        reverse("tracker:measure-feed", args=["china-october-2025-export-controls"]),
    ]
    for subject in (
        article.section,
        article.minerals.first(),
        article.countries.first(),
        article.sources.first(),
        article.authors.first(),
    ):
        addresses += feeds.feed_links(subject)
    return addresses


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo newsroom rendered once for the module, inside a transaction rolled back afterwards."""
    if reason := conformance.missing_tools():
        pytest.skip(reason)
    site = DemoSite()
    folder = tmp_path_factory.mktemp("conformance")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media", **SETTINGS):
        cache.clear()
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):  # photo renditions, as on a real commit
                for command, options in (
                    ("seed_demo", {"force": True}),
                    ("seed_demo_comments", {}),
                    ("seed_demo_newsletter", {}),
                    ("seed_demo_tracker", {}),
                ):
                    call_command(command, stdout=StringIO(), **options)
            assert Correction.objects.exists(), (
                "the demo has a correction for the corrections pages and feeds"
            )
            client = Client()
            addresses, article = page_addresses(client)
            site.article_url = addresses["article-with-comments"]
            for kind, address in addresses.items():
                response = client.get(address)
                assert response.status_code == (404 if kind == "not-found" else 200), (
                    kind,
                    response.status_code,
                )
                site.pages[kind] = (address, response.content.decode())
            error = get_resolver().resolve_error_handler(500)(RequestFactory().get("/"))
            site.pages["server-error"] = ("(handler500)", error.content.decode())
            for address in feed_addresses(article):
                response = client.get(address)
                assert response.status_code == 200, address
                site.feeds[address] = response.content
            transaction.set_rollback(True)
        cache.clear()
    files = {}
    for kind, (_address, html) in site.pages.items():
        files[kind] = folder / f"{kind}.html"
        files[kind].write_text(html, encoding="utf-8")
    found = conformance.nu_check(files.values())
    site.checked = {kind: found[path] for kind, path in files.items()}
    return site


PAGE_KINDS = [
    "front",
    "article-with-comments",
    "section",
    "mineral",
    "country",
    "source",
    "author",
    "mineral-index",
    "country-index",
    "source-register",
    "corrections",
    "search",
    "search-nothing-found",
    "newsletter-signup",
    "newsletter-confirm",
    "newsletter-topics",
    "newsletter-unsubscribe",
    "newsletter-archive",
    "newsletter-archive-update",
    "tracker",
    "tracker-filtered",
    "tracker-measure",
    "privacy",
    "not-found",
    "server-error",
]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_is_valid_html(demo_site, kind):
    """The Nu Html Checker finds no error on this kind of page."""
    address, _html = demo_site.pages[kind]
    errors = [m for m in demo_site.checked[kind] if m["type"] in ("error", "non-document-error")]
    assert not errors, f"{kind} ({address}):\n" + "\n".join(map(conformance.describe, errors))


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_draws_no_checker_warning(demo_site, kind):
    """Nor any warning, such as an <article> without a heading (each comment's, on the article page)."""
    address, _html = demo_site.pages[kind]
    warnings = [m for m in demo_site.checked[kind] if m["type"] == "info" and m.get("subType") == "warning"]
    assert not warnings, f"{kind} ({address}):\n" + "\n".join(map(conformance.describe, warnings))


class Images(HTMLParser):
    """The <img> elements inside <main>, in document order, with their attributes."""

    def __init__(self):
        super().__init__()
        self.found, self.in_main = [], False

    def handle_starttag(self, tag, attrs):
        self.in_main = self.in_main or tag == "main"
        if tag == "img" and self.in_main:
            self.found.append(dict(attrs))

    def handle_endtag(self, tag):
        self.in_main = self.in_main and tag != "main"


@pytest.mark.parametrize("kind", ["front", "article-with-comments"])
def test_the_largest_image_is_fetched_first(demo_site, kind):
    """The first image in the page's main part is eager with fetchpriority="high" and its size; the rest are
    lazy."""
    parser = Images()
    parser.feed(demo_site.pages[kind][1])
    first, *rest = parser.found
    assert first.get("loading", "eager") == "eager" and first.get("fetchpriority") == "high", first
    assert first.get("width") and first.get("height"), first
    assert all(image.get("loading") == "lazy" and image.get("fetchpriority") != "high" for image in rest), (
        rest
    )


def test_every_kind_of_page_was_checked(demo_site):
    """The gate covers every page kind it renders: none is rendered without being checked, or listed without a
    page."""
    assert sorted(demo_site.pages) == sorted(PAGE_KINDS)


MICROSECONDS = re.compile(r'<time datetime="[^"]*\.\d{4,}')


def test_no_time_element_carries_more_than_three_fraction_digits(demo_site):
    """The finding behind 40 checker errors: no page writes a <time datetime> with microseconds."""
    for kind, (address, html) in demo_site.pages.items():
        assert not MICROSECONDS.search(html), f"{kind} ({address}): {MICROSECONDS.search(html).group()}"
    assert '<time datetime="' in demo_site.pages["article-with-comments"][1]


def test_every_feed_parses_without_a_flag(demo_site):
    """Every feed, the site's, each subject's and the corrections', in RSS and Atom, parses with no bozo
    flag."""
    assert len(demo_site.feeds) >= 14
    for address, body in demo_site.feeds.items():
        parsed = feedparser.parse(body)
        assert not parsed.bozo, f"{address}: {parsed.get('bozo_exception')}"
        assert parsed.version in ("rss20", "atom10"), address
        assert parsed.entries, address
        for entry in parsed.entries:
            assert entry.get("title") and entry.get("link") and entry.get("published_parsed"), address


def news_article(demo_site):
    html = demo_site.pages["article-with-comments"][1]
    blocks = [json.loads(block["text"]) for block in parse_head_html(html).json_ld]
    return next(data for data in blocks if data.get("@type") == "NewsArticle")


def parse_head_html(html):
    class Served:
        content = html.encode()

    return parse_head(Served)


def iso_moment(value):
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value
    return moment


def test_article_json_ld_has_every_field_googles_article_guidelines_list(demo_site):
    """headline, image, datePublished, dateModified, author name and url, publisher name and logo."""
    news = news_article(demo_site)
    assert news["@context"] == "https://schema.org" and news["@type"] == "NewsArticle"
    assert 0 < len(news["headline"]) <= 110
    assert news["image"] and all(url.startswith("https://") for url in news["image"])
    assert iso_moment(news["datePublished"]) <= iso_moment(news["dateModified"])
    assert news["author"]
    for author in news["author"]:
        assert author["name"] and author["url"].startswith("https://"), author
    publisher = news["publisher"]
    assert publisher["name"] and publisher["url"].startswith("https://")
    logo = publisher.get("logo") or {}
    assert logo.get("url", "").startswith("https://") and logo.get("width") and logo.get("height"), publisher
    assert Path(logo["url"]).suffix in (".png", ".jpg", ".jpeg", ".webp", ".svg")


def test_measure_json_ld_is_legislation_with_its_identifier_jurisdiction_type_date_and_force(demo_site):
    """A measure page carries schema.org Legislation: identifier, jurisdiction, type, date, force."""
    html = demo_site.pages["tracker-measure"][1]
    blocks = [json.loads(block["text"]) for block in parse_head_html(html).json_ld]
    law = next(data for data in blocks if data.get("@type") == "Legislation")
    assert law["@context"] == "https://schema.org"
    assert law["legislationIdentifier"] == "MOFCOM Announcements Nos. 55–58, 61 and 62 [2025]"
    assert (law["legislationJurisdiction"], law["legislationType"]) == ("China", "Export licensing")
    assert law["legislationDate"] == "2025-10-09"
    assert law["legislationLegalForce"] in ("https://schema.org/InForce", "https://schema.org/NotInForce")
    assert law["url"].endswith("/tracker/china-october-2025-export-controls/")
