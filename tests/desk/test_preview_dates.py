"""The staff preview says what readers would see of an article's date: nothing published for a draft, the
time it goes out for a scheduled one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def byline(client, article):
    client.force_login(f.user(group="Editors"))
    page = client.get(article.get_preview_url()).content.decode()
    start = page.index('class="meta article__byline"')
    return page[start : page.index("</p>", start)]


def test_a_drafts_preview_says_not_published(client):
    """A draft's byline reads "Not published", with no publication date."""
    line = byline(client, f.article(status=Article.Status.DRAFT))
    assert "Not published" in line and "Published" not in line.replace("Not published", "")


def test_a_scheduled_articles_preview_says_when_it_goes_out(client):
    """A scheduled article's byline reads "Scheduled for" and its time."""
    moment = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=7, minute=0)
    line = byline(client, f.article(publish_at=moment))
    assert "Scheduled for <time datetime=" in line and moment.strftime("%-d %B %Y, 07:00") in line


def test_a_live_articles_byline_says_published(client):
    """A live article's byline keeps its publication date."""
    assert "Published <time" in byline(client, f.article())
