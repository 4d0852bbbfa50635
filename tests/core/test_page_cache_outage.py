"""Serving through a Redis outage: each process keeps its own copies of public pages for a few seconds,
within a memory bound, and drops them when Redis is back."""

import time

import pytest
from django.test import Client, override_settings

from articles.models import Article
from articles.services import article_save
from core import page_cache
from tests.core.test_outages import DEAD_REDIS
from tests.support import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_down")]


@pytest.fixture
def redis_down(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS = 5
    page_cache.outage_copies.clear()
    with override_settings(CACHES=DEAD_REDIS):
        yield
    page_cache.outage_copies.clear()


def test_readers_are_served_this_processs_copy_while_redis_is_down(client):
    """The second reader during an outage gets the first one's page from this process's memory."""
    story = f.article(title="Gallium exports halted")
    first = client.get(story.get_absolute_url())
    assert page_cache.degraded() and first["X-Page-Cache"] == "miss"
    second = client.get(story.get_absolute_url())
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert "s-maxage=5" in second["Cache-Control"] or "s-maxage=4" in second["Cache-Control"]


def test_a_change_shows_within_the_outage_seconds(client, settings):
    """A change no invalidation can announce (made elsewhere) shows once the copy is the setting's age."""
    settings.NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS = 1
    story = f.article(title="Old headline")
    client.get(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(title="New headline")  # as another server would
    assert "Old headline" in client.get(story.get_absolute_url()).content.decode()
    time.sleep(1.1)
    assert "New headline" in client.get(story.get_absolute_url()).content.decode()


def test_a_change_made_by_this_process_shows_at_once(client):
    """An edit through the write path on this server drops this server's copies."""
    story = f.article(title="Old headline")
    client.get(story.get_absolute_url())
    story.title = "New headline"
    article_save(article=story)
    assert "New headline" in client.get(story.get_absolute_url()).content.decode()


def test_copies_stay_within_the_memory_bound(client, settings):
    """With room for about two pages, the least recently used copy goes first; the total stays in bounds."""
    stories = [f.article() for _ in range(4)]
    size = len(client.get(stories[0].get_absolute_url()).content)
    settings.NEWSROOM_PAGE_CACHE_OUTAGE_BYTES = int(size * 2.5)
    page_cache.outage_copies.clear()
    for story in stories:
        client.get(story.get_absolute_url())
    assert 1 <= len(page_cache.outage_copies) <= 2
    assert page_cache.outage_copies.size <= settings.NEWSROOM_PAGE_CACHE_OUTAGE_BYTES
    assert client.get(stories[-1].get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(stories[0].get_absolute_url())["X-Page-Cache"] == "miss"


def test_redis_coming_back_drops_the_copies(client):
    """The new epoch started when Redis answers again empties this process's copies."""
    story = f.article()
    client.get(story.get_absolute_url())
    assert len(page_cache.outage_copies) == 1
    page_cache.start_new_epoch()
    assert len(page_cache.outage_copies) == 0


def test_readers_with_a_session_are_never_served_a_copy(client):
    """Staff and signed-in readers get their own render during an outage too."""
    story = f.article()
    client.get(story.get_absolute_url())
    staff = Client()
    staff.force_login(f.user(group="Editors"))
    response = staff.get(story.get_absolute_url())
    assert response.get("X-Page-Cache") is None and "private" in response["Cache-Control"]
