import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static names as written: the hashed manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and other counters live in the cache; no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def inline_tasks(settings):
    """Background tasks run inline in tests, even under TASKS_BACKEND=rq; RQ tests switch back themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
