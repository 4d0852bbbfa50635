"""One render per missing page: readers arriving while it renders wait for it, never longer than the wait."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from articles.views import ArticleDetailView
from core import page_cache
from tests.support import factories as f

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True


def page_key_of(path):
    return page_cache.page_key(RequestFactory().get(path))


@pytest.mark.django_db
def test_a_render_that_never_ends_holds_a_reader_no_longer_than_the_wait(client, settings):
    """With another request's lock held and nothing stored, a reader renders the page itself after waiting."""
    settings.NEWSROOM_PAGE_CACHE_RENDER_WAIT = 0.3
    story = f.article(title="Nickel prices slide")
    url = story.get_absolute_url()
    key = page_key_of(url)
    assert page_cache.RenderLock(key).acquire()  # a render elsewhere that will not finish
    started = time.monotonic()
    response = client.get(url)
    waited = time.monotonic() - started
    assert response["X-Page-Cache"] == "miss" and "Nickel prices slide" in response.content.decode()
    assert 0.3 <= waited < 2.0


@pytest.mark.django_db
def test_a_failed_render_leaves_no_lock_behind(client, monkeypatch):
    """A render that raises releases its lock, so the next reader renders at once and stores the page."""
    story = f.article()
    real = ArticleDetailView.get_context_data

    def failing(self, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(ArticleDetailView, "get_context_data", failing)
    with pytest.raises(RuntimeError):
        client.get(story.get_absolute_url())
    assert cache.get(page_cache.RenderLock(page_key_of(story.get_absolute_url())).key) is None
    monkeypatch.setattr(ArticleDetailView, "get_context_data", real)
    started = time.monotonic()
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    assert time.monotonic() - started < 1.0
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


# One app server: a separate process with its own Django, connections and memory, sharing PostgreSQL
# and Redis with the others; its readers are threads that all ask for the page at the same moment.
SERVER = """
import json, sys, threading, time
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.test import Client
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
from articles.views import ArticleDetailView

real = ArticleDetailView.get_context_data

def slow_counted(self, **kwargs):
    cache.add("single-flight-test:renders", 0, timeout=300)
    cache.incr("single-flight-test:renders")
    time.sleep(0.4)  # a render slow enough that every reader arrives during it
    return real(self, **kwargs)

ArticleDetailView.get_context_data = slow_counted
path, start_at, readers = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
answers = []

def read():
    time.sleep(max(0, start_at - time.time()))
    response = Client().get(path)
    answers.append((response.status_code, response["X-Page-Cache"], "Copper" in response.content.decode()))

threads = [threading.Thread(target=read) for _ in range(readers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(answers))
"""


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_misses_on_two_servers_render_once(settings):
    """Sixteen readers on two servers ask for a page nobody has stored at the same moment: it is rendered
    once, and every reader gets it."""
    story = f.article(title="Copper smelter opens")
    cache.delete("single-flight-test:renders")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "NEWSROOM_PAGE_CACHE": "1",
    }
    start_at = time.time() + 4  # both servers are up and have imported everything by then
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", SERVER, story.get_absolute_url(), str(start_at), "8"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    answers = []
    for server in servers:
        out, err = server.communicate(timeout=120)
        assert server.returncode == 0, err
        answers += json.loads(out)
        assert json.loads(out), err
    assert len(answers) == 16 and all(status == 200 and shown for status, _, shown in answers)
    assert cache.get("single-flight-test:renders") == 1
    assert sorted(state for _, state, _ in answers).count("miss") == 1
