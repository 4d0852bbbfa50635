"""Outages of what newsroom runs on: Redis down degrades to per-process limits, a database down answers
503."""

import logging
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import RequestFactory, override_settings
from django.urls import reverse

from articles.views import FrontPageView
from core import checks, outages, views
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once, as when Redis is stopped.
DEAD_REDIS = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@override_settings(CACHES=DEAD_REDIS)
def test_the_cache_falls_back_to_process_memory_while_redis_is_down():
    """Every cache call works against an unreachable Redis, from this process's memory."""
    cache = caches["default"]
    cache.set("k", 41)
    assert cache.incr("k") == 42 and cache.get("k") == 42
    assert cache.add("k", 0) is False and cache.get_many(["k"]) == {"k": 42}
    assert cache.is_down


@override_settings(CACHES=DEAD_REDIS)
def test_redis_is_not_asked_again_until_the_retry_interval_has_passed():
    """After one refused connection the cache stops trying Redis for a while, so requests are not slowed."""
    cache = caches["default"]
    cache.get("warm-up")
    with mock.patch("django.core.cache.backends.redis.RedisCacheClient.get") as redis_get:
        for _ in range(20):
            cache.get("k")
    assert redis_get.call_count == 0


@override_settings(CACHES=DEAD_REDIS, COMMENTS_RATE_PER_IP=1)
def test_comments_and_rate_limits_keep_working_without_redis(client):
    """With Redis unreachable a comment is stored and the per-IP limit still answers 429, never 500."""
    article = factories.article()
    url = reverse("comments:post", args=[article.pk])
    assert client.post(url, cf.post_data(article)).status_code == 302
    assert client.post(url, cf.post_data(article, body_text="Another thought.")).status_code == 429
    assert client.get(reverse("articles:search"), {"q": "lithium"}).status_code == 200


@override_settings(CACHES=DEAD_REDIS)
def test_deploy_check_reports_an_unreachable_redis():
    """`check --deploy` warns when REDIS_URL names a Redis that does not answer, without its password."""
    warnings = checks.check_redis_reachable(None)
    assert [w.id for w in warnings] == ["newsroom.W001"]
    assert "127.0.0.1:1" in warnings[0].msg


@pytest.mark.redis
def test_deploy_check_is_quiet_when_redis_answers():
    """A reachable Redis passes the check."""
    import os

    with override_settings(
        CACHES={"default": {**DEAD_REDIS["default"], "LOCATION": os.environ["REDIS_URL"]}}
    ):
        assert checks.check_redis_reachable(None) == []


def test_database_outage_answers_503_with_retry_after(client):
    """A view that cannot reach the database gives the 503 page with Retry-After, not the 500 page."""
    with mock.patch.object(FrontPageView, "get", side_effect=OperationalError("connection refused")):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(outages.RETRY_AFTER)
    assert "back in a moment" in response.content.decode()


def test_database_outage_outside_a_view_answers_503_too():
    """The 500 handler, which Django calls for errors in middleware, answers a database error with 503."""
    request = RequestFactory().get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(request)
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert views.server_error(request).status_code == 500


def test_an_outage_logs_one_line_a_second_not_a_traceback_per_request(client, caplog):
    """Fifty failing requests in a burst write one log line and no traceback."""
    caplog.set_level(logging.INFO)
    outages._log_throttle.last = 0.0
    with mock.patch.object(FrontPageView, "get", side_effect=OperationalError("connection refused")):
        for _ in range(50):
            assert client.get("/").status_code == 503
    lines = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].name == "core.outages"
    assert lines[0].exc_info is None


@override_settings(CACHES=DEAD_REDIS, NEWSROOM_PAGE_CACHE=True, NEWSROOM_PAGE_CACHE_OUTAGE_SECONDS=0)
def test_pages_are_neither_served_nor_stored_from_the_cache_while_redis_is_down(client):
    """While Redis is away, one process could not see another's invalidations: with no outage copies
    allowed, pages are rendered afresh."""
    factories.article(title="Fresh while Redis is away")
    for _ in range(3):
        response = client.get("/")
        assert response.status_code == 200 and "Fresh while Redis is away" in response.content.decode()
        assert response.get("X-Page-Cache") != "hit"


@pytest.mark.redis
def test_redis_coming_back_starts_a_new_page_epoch():
    """When Redis answers again, every page stored before the outage is dropped at once."""
    import os
    import time

    from core import page_cache

    with override_settings(
        CACHES={"default": {**DEAD_REDIS["default"], "LOCATION": os.environ["REDIS_URL"]}}
    ):
        cache = caches["default"]
        before = page_cache.current_versions([])[page_cache.EPOCH]
        cache.down_since = time.time() - 30  # as if the last call had failed
        cache.get("anything")  # Redis answers: the outage is over
        assert cache.down_since is None
        assert page_cache.current_versions([])[page_cache.EPOCH] != before


@pytest.mark.redis
def test_every_cache_call_reuses_one_redis_client_per_pool():
    """A page served from the cache does not pay for building a redis-py client on each call."""
    import os

    with override_settings(
        CACHES={"default": {**DEAD_REDIS["default"], "LOCATION": os.environ["REDIS_URL"]}}
    ):
        cache = caches["default"]
        cache.set("reused", 1)
        assert cache.get("reused") == 1
        assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
        assert len(cache._cache._clients) == 1
