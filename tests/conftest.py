import os

import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static names as written: the hashed manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def isolated_media(settings, tmp_path):
    """Uploaded and generated images go to the test's own folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and other counters live in the cache; no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Pages and their pieces are rendered afresh unless a test asks for the cache (tests/test_page_cache*.py)."""
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = False


@pytest.fixture(autouse=True)
def inline_tasks(settings):
    """Background tasks run inline in tests, even under TASKS_BACKEND=rq; RQ tests switch back themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


CHROMIUM = "/usr/bin/chromium"
# Set by .ci/run for the PostgreSQL pass: there, a test that cannot find its service is an error, not a skip.
REQUIRE_SERVICES = bool(os.environ.get("NEWSROOM_REQUIRE_SERVICES"))


def _missing_service(item):
    """Why a test marked for a service cannot run here, or None when it can."""
    from django.db import connection

    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL=postgres://...)"
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        return "needs Redis (set REDIS_URL=redis://...)"
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
        return f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        reason = _missing_service(item)
        if reason and REQUIRE_SERVICES:
            raise pytest.UsageError(f"{item.nodeid} {reason}, and NEWSROOM_REQUIRE_SERVICES is set")
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
