import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (building data) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and CSP violations, so a test can assert there were none."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def editor_page(page, live_server, settings):
    """The shared page, logged in to the admin as a superuser (plain HTTP, so cookies are not Secure).

    Group rules have their own tests; a browser test cannot count on the Editors group, which a
    data migration makes and a transactional flush by an earlier test removes.
    """
    from django.db import connections

    from tests.support import factories

    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    factories.user(username="desk-editor", superuser=True)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_auth-username", "desk-editor")
    page.fill("#id_auth-password", "a-long-test-password")
    page.click("button[type=submit]")
    yield page
    connections.close_all()
