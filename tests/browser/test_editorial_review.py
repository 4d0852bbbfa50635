"""Review of a live article in a real browser: a writer's edit waits, an editor compares and approves it."""

import pytest
from django.db import connections

from articles.models import Article
from tests.browser.journeys import desk_group
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(browser, live_server, settings):
    """Log a user in, in a browser context of their own, and return their page."""
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    contexts = []

    def log_in(user):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_auth-username", user.username)
        page.fill("#id_auth-password", "a-long-test-password")
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    yield log_in
    for context in contexts:
        context.close()
    connections.close_all()


def test_writer_edit_waits_until_an_editor_compares_and_approves(desk, page, live_server):
    """The public page keeps the live headline after the writer saves, and shows the new one once approved."""
    article = f.article(title="Lithium brine output rises", body="<p>Output rose five per cent.</p>")
    public = live_server.url + article.get_absolute_url()
    writer = f.user(username="desk-writer")
    writer.groups.add(desk_group("Writers"))
    editor = f.user(username="desk-editor", superuser=True)

    writing = desk(writer)
    writing.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert "your changes go to an editor as a proposed change" in writing.locator(".review-note").inner_text()
    assert writing.locator("#id_is_featured").is_disabled()
    writing.fill("#id_title", "Lithium brine output rises sharply")
    writing.click("input[name=_save]")
    writing.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert "sent to an editor for review" in writing.locator(".messagelist").inner_text()

    page.goto(public)
    assert page.locator("h1").inner_text() == "Lithium brine output rises"

    editing = desk(editor)
    editing.goto(live_server.url + "/admin/articles/proposedchange/")
    editing.click("a.button:has-text('Review')")
    editing.wait_for_url("**/review/")
    assert editing.locator(".diff-new ins").first.inner_text().strip() == "sharply"
    assert editing.locator(".diff-old").first.inner_text() == "Lithium brine output rises"
    editing.click("button[value=approve]")
    editing.wait_for_url(f"**/admin/articles/article/{article.pk}/change/")
    assert "Approved: the change is live" in editing.locator(".messagelist").inner_text()

    page.goto(public)
    assert page.locator("h1").inner_text() == "Lithium brine output rises sharply"
    assert Article.objects.get(pk=article.pk).revisions.count() == 3
    assert page.problems == [] and writing.problems == [] and editing.problems == []
