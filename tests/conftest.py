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
def second_factor_optional(settings):
    """Most tests sign staff in with force_login; the second factor has its own tests
    (test_staff_signin.py)."""
    settings.STAFF_TWO_FACTOR = "optional"


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Pages and their pieces are rendered afresh unless a test asks for the cache
    (tests/core/test_page_cache*.py)."""
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = False


@pytest.fixture(autouse=True)
def inline_tasks(settings):
    """Background tasks run inline in tests, even under TASKS_BACKEND=rq; RQ tests switch back themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def commit_hooks_as_in_production(monkeypatch):
    """A test's own transaction never commits, so on_commit callbacks would never run: run them at once
    outside the code's transactions and when its outermost one commits, as production does."""
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_test_blocks(connection):
        return all(block._from_testcase for block in connection.atomic_blocks)

    def run(func, robust):
        try:
            func()
        except Exception:
            if not robust:  # a robust callback's failure is logged by Django and swallowed
                raise

    real_on_commit, real_exit = BaseDatabaseWrapper.on_commit, transaction.Atomic.__exit__

    def on_commit(connection, func, robust=False):
        if connection.in_atomic_block and only_test_blocks(connection):
            run(func, robust)
        else:
            real_on_commit(connection, func, robust)

    def atomic_exit(block, exc_type, exc_value, traceback):
        connection = transaction.get_connection(block.using)
        result = real_exit(block, exc_type, exc_value, traceback)
        if (
            exc_type is None
            and connection.in_atomic_block
            and only_test_blocks(connection)
            and not connection.needs_rollback
        ):
            pending, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, func, robust in pending:
                run(func, robust)
        return result

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", atomic_exit)


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
    if item.get_closest_marker("objectstorage") and not os.environ.get("NEWSROOM_S3_TEST_ENDPOINT"):
        return "needs an S3-compatible server (set NEWSROOM_S3_TEST_ENDPOINT=http://...; .ci/run starts moto)"
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
        return f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if item.get_closest_marker("conformance"):
        from tests.support.conformance import missing_tools

        return missing_tools()
    return None


# The fault suite (tests/faults/) takes minutes and starts its own servers: it runs when asked for.
RUN_FAULTS = bool(os.environ.get("NEWSROOM_FAULTS"))


# Files that sat at the top of tests/ without their app's name before the suite was split by app.
_UNPREFIXED = {"core", "site"}
_FORMER_NAMES = {
    "tests/core/test_outages.py": "tests/test_core_outages.py",
    "tests/articles/test_ensure_admin.py": "tests/test_ensure_admin.py",
    "tests/articles/test_seed_demo.py": "tests/test_seed_demo.py",
    "tests/articles/test_tags_any_script.py": "tests/test_tags_any_script.py",
    "tests/articles/test_photos.py": "tests/test_photos.py",
}


def _run_order(item):
    """Where a test runs: by the kind of database it needs, as pytest-django and Django order them (plain
    database tests, then transactional ones, then none), and within a kind in the order the suite had
    before it was split by app. Transactional tests empty the database when they end, taking the rows the
    migrations made (groups, permissions, content types) with them; the order they run in is the order
    in which the suite was proved to restore them, so it is kept, and newer folders come after."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
    kind = 1 if transactional else 0 if (marker or "db" in fixtures) else 2
    path, _, rest = item.nodeid.partition("::")
    parts = path.split("/")
    if path in _FORMER_NAMES:
        path = _FORMER_NAMES[path]
    elif len(parts) == 3 and parts[1] in {"articles", "comments", "newsletter"}:
        path = f"tests/test_{parts[1]}_{parts[2].removeprefix('test_')}"
    elif len(parts) == 3 and parts[1] in _UNPREFIXED:
        path = f"tests/{parts[2]}"
    elif len(parts) == 3 and parts[1] not in {"browser", "faults"}:
        path = f"tests/~{parts[1]}/{parts[2]}"  # a folder newer than the split: after the others
    return kind, path


def pytest_collection_modifyitems(config, items):
    items.sort(key=_run_order)
    for item in items:
        if item.get_closest_marker("faults") and not RUN_FAULTS:
            item.add_marker(
                pytest.mark.skip(
                    reason=(
                        "fault suite: starts its own PostgreSQL, Redis and SMTP servers and takes minutes; "
                        "run it with NEWSROOM_FAULTS=1 (.ci/run does)"
                    )
                )
            )
            continue
        reason = _missing_service(item)
        if reason and REQUIRE_SERVICES:
            raise pytest.UsageError(f"{item.nodeid} {reason}, and NEWSROOM_REQUIRE_SERVICES is set")
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    """One line per group of skipped tests, saying what would run them, rather than one per test."""
    groups = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        groups[reason] = groups.get(reason, 0) + 1
    if not groups:
        return
    terminalreporter.section("what did not run, and what would run it")
    for reason, count in sorted(groups.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{count:5} skipped: {reason}")
    terminalreporter.write_line(
        "`make test-all` installs and starts what is missing (Chromium, Java and the Nu Html Checker, "
        "PostgreSQL, Redis) where it may, then runs both passes; .ci/run adds the fault suite."
    )
