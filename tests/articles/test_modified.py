"""The "Updated" time and dateModified move for changes readers can see, or a correction, never for
toggles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Citation
from articles.services import article_save, articles_set_comments, articles_set_featured
from core.meta import iso_datetime
from tests.support import factories as f
from tests.support.factories_discovery import png_upload
from tests.support.parsing import json_ld_blocks, parse_xml

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DAY_AGO = timedelta(days=1)


@pytest.fixture
def story():
    """Live since yesterday and untouched since."""
    return f.article(publish_at=timezone.now() - DAY_AGO, sources=[f.source()])


def fresh(article):
    return Article.objects.get(pk=article.pk)


def date_modified(client, article):
    blocks = json_ld_blocks(client.get(article.get_absolute_url()))
    return next(data for data, _ in blocks if data["@type"] == "NewsArticle")["dateModified"]


def test_a_new_article_is_not_updated(client, story):
    """Written and published at once, or backdated by an import: no "Updated" line, dateModified is
    publication."""
    assert not fresh(story).was_updated and fresh(story).modified_at == story.publish_at
    assert "Updated" not in client.get(story.get_absolute_url()).content.decode()
    assert date_modified(client, story) == iso_datetime(story.publish_at)


@pytest.mark.parametrize(
    "change",
    [
        lambda a: setattr(a, "title", "A new headline"),
        lambda a: setattr(a, "dek", "A new standfirst."),
        lambda a: setattr(a, "highlights", "A new key point"),
        lambda a: setattr(a, "body", "<p>A rewritten body.</p>"),
        lambda a: setattr(a, "hero_caption", "A new caption"),
        lambda a: setattr(a, "hero_image", png_upload()),
    ],
    ids=["title", "dek", "highlights", "body", "hero caption", "hero image"],
)
def test_changes_readers_see_move_updated(client, story, change):
    """Headline, standfirst, highlights, body and photo changes stamp the article updated, on the page and in
    JSON-LD."""
    change(story)
    article_save(article=story, user=f.user(group="Editors"))
    article = fresh(story)
    assert article.was_updated and timezone.now() - article.modified_at < timedelta(minutes=1)
    assert "Updated" in client.get(story.get_absolute_url()).content.decode()
    assert date_modified(client, story) == iso_datetime(article.modified_at)


def test_a_new_citation_or_a_correction_moves_updated(story):
    """Citing another source, or attaching a correction, is a change readers see."""
    article_save(
        article=story,
        save_related=lambda: Citation.objects.create(article=story, source=f.source(), position=1),
    )
    assert fresh(story).was_updated
    other = f.article(publish_at=timezone.now() - DAY_AGO)
    f.correction(article=other)
    assert fresh(other).was_updated


def test_toggles_never_move_updated(client, story):
    """Featuring, closing comments, retagging or a save with nothing changed leave "Updated" and dateModified
    alone."""
    editor = f.user(group="Editors")
    before = date_modified(client, story)
    articles_set_featured(user=editor, articles=[fresh(story)], featured=True)
    articles_set_comments(user=editor, articles=[fresh(story)], allow=False)
    article = fresh(story)
    article_save(article=article, user=editor, save_related=lambda: article.minerals.add("Tin"))
    article_save(article=fresh(story), user=editor)
    article = fresh(story)
    assert article.is_featured and not article.allow_comments and list(article.minerals.names()) == ["Tin"]
    assert not article.was_updated and date_modified(client, story) == before
    assert "Updated" not in client.get(story.get_absolute_url()).content.decode()


def test_a_proposal_moves_nothing_until_approved(story):
    """A writer's proposed headline leaves the live article's modified time as it was."""
    story.title = "Proposed headline"
    article_save(article=story, user=f.user(group="Writers"))
    assert fresh(story).modified_at == story.publish_at


def test_feeds_and_sitemaps_read_the_same_modified_time(client, story):
    """Atom <updated> and the article sitemap's lastmod follow Article.modified_at, not the last save."""
    articles_set_featured(user=None, articles=[fresh(story)], featured=True)
    entry = parse_xml(client.get(reverse("articles:feed-atom"))).find("{http://www.w3.org/2005/Atom}entry")
    (url,) = parse_xml(client.get("/sitemap-articles.xml")).findall(f"{SM}url")
    expected = fresh(story).modified_at.replace(microsecond=0)
    assert entry.findtext("{http://www.w3.org/2005/Atom}updated").startswith(
        expected.strftime("%Y-%m-%dT%H:%M:%S")
    )
    assert url.findtext(f"{SM}lastmod").startswith(expected.strftime("%Y-%m-%d"))
    story.dek = "Changed for readers."
    article_save(article=story)
    entry = parse_xml(client.get(reverse("articles:feed-atom"))).find("{http://www.w3.org/2005/Atom}entry")
    assert entry.findtext("{http://www.w3.org/2005/Atom}updated").startswith(
        fresh(story).modified_at.strftime("%Y-%m-%dT%H:%M:%S")
    )
