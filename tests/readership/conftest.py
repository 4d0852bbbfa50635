"""Readers for readership's tests: a browser's beacon from a given address and user agent."""

import pytest
from django.test import Client

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
OTHER_BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.2; rv:133.0) Gecko/20100101 Firefox/133.0"


def beacon(article, *, address="203.0.113.7", agent=BROWSER, came_from="", client=None, headers=None):
    """What a reader's browser sends for one view of `article`: a same-origin POST to /beacon/."""
    client = client or Client()
    article_id = article if isinstance(article, (int, str)) else article.pk
    return client.post(
        "/beacon/",
        {"article": article_id, "from": came_from},
        REMOTE_ADDR=address,
        headers={"User-Agent": agent, "Sec-Fetch-Site": "same-origin", **(headers or {})},
    )


@pytest.fixture(autouse=True)
def no_remembered_articles():
    """Each test's article ids are its own: a database rolled back gives the next test's rows the same ids."""
    from readership import views

    views._live_until.clear()
    yield
    views._live_until.clear()


@pytest.fixture
def database_store(settings):
    """Reads go to the database buffer, as on the embedded default without Redis."""
    settings.REDIS_URL = ""


@pytest.fixture
def redis_store(settings):
    """Reads go to Redis (the test's own database, emptied by the cache's clear before and after)."""
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    from readership import stores

    store = stores.store()
    store.client.flushdb()
    yield store
    store.client.flushdb()
