"""A writer's two saves of a live article in the browser leave one proposal carrying both changes."""

import pytest
from django.db import connections

from articles.models import Article, ArticleRevision
from tests.browser.journeys import desk_group, new_page, sign_in
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def writer_page(browser, live_server, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    writer = f.user(username="desk-writer")
    writer.groups.add(desk_group("Writers"))
    yield sign_in(new_page(browser), live_server, writer)
    connections.close_all()


def test_standfirst_then_highlights_add_up_to_one_proposal(writer_page, live_server):
    """After the first save the form shows the proposed standfirst; the second save keeps it."""
    page = writer_page
    story = f.article(title="Gallium exports resume", dek="Licences granted.", highlights="First licences")
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page.goto(url)
    page.fill("#id_dek", "Licences granted to three exporters.")
    page.click("input[name=_continue]")
    page.wait_for_url(url)
    assert page.input_value("#id_dek") == "Licences granted to three exporters."
    assert "shows your proposal" in page.locator(".review-panel--pending").inner_text()
    page.fill("#id_highlights", "Three exporters licensed")
    page.click("input[name=_continue]")
    page.wait_for_url(url)

    pending = ArticleRevision.objects.pending().get(article=story)
    assert (pending.snapshot["dek"], pending.snapshot["highlights"]) == (
        "Licences granted to three exporters.",
        "Three exporters licensed",
    )
    assert Article.objects.get(pk=story.pk).dek == "Licences granted."
    assert page.problems == []
