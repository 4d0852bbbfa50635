"""The comment section in a real browser: reply in place and like without leaving the page."""

import pytest
from django.db import connections
from playwright.sync_api import expect

from comments.models import Comment
from tests.support import factories_comments as cf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reader_page(page, live_server, settings):
    """The shared Chromium page, on a plain-HTTP test server where cookies cannot be Secure."""
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    yield page
    # The ORM calls made while Playwright's loop ran used their own connection; close it
    # so the test database can be dropped at the end of the run.
    connections.close_all()


def test_reply_moves_the_form_under_the_comment_and_posts_a_reply(reader_page, live_server):
    """Clicking Reply moves the form beneath the comment without reloading; posting stores the reply."""
    page = reader_page
    parent = cf.comment(author_name="Ana", body_text="Graphite anodes are the bottleneck.")
    page.goto(live_server.url + parent.article.get_absolute_url())
    url_before = page.url
    page.click(f"#comment-{parent.pk} a.reply-link")
    assert page.url == url_before
    assert page.locator(f"li#comment-{parent.pk} > form#comment-form").count() == 1
    assert page.input_value("input[name=parent]") == str(parent.pk)
    assert page.text_content("#comment-form-heading") == "Reply to Ana"

    page.fill("#id_author_name", "Bo")
    page.fill("#id_author_email", "bo@example.com")
    page.fill("#id_body_text", "Synthetic graphite capacity is growing fast.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(f"**{parent.article.get_absolute_url()}#comments")
    assert "awaiting moderation" in page.text_content(".comment-ack")
    reply = Comment.objects.get(author_email="bo@example.com")
    assert reply.parent_id == parent.pk and reply.status == Comment.Status.PENDING
    assert page.problems == []


def test_cancel_reply_puts_the_form_back(reader_page, live_server):
    """Cancel returns the form to the end of the section, clears the parent and puts focus back on Reply."""
    page = reader_page
    parent = cf.comment()
    page.goto(live_server.url + parent.article.get_absolute_url())
    page.click(f"#comment-{parent.pk} a.reply-link")
    page.click(".comment-form__cancel")
    assert page.locator("section#comments > form#comment-form").count() == 1
    assert page.input_value("input[name=parent]") == ""
    assert page.evaluate("document.activeElement.dataset.replyTo") == str(parent.pk)


def test_like_updates_the_count_in_place(reader_page, live_server):
    """Like is a fetch: the count changes on the page and the reader stays where they were."""
    page = reader_page
    comment = cf.comment(like_count=0)
    page.goto(live_server.url + comment.article.get_absolute_url())
    url_before = page.url
    page.click(f"#comment-{comment.pk} .like-button")
    expect(page.locator(f"#comment-{comment.pk} .like-count").first).to_have_text("1 like", timeout=15_000)
    assert page.url == url_before
    comment.refresh_from_db()
    assert comment.like_count == 1
    assert page.problems == []
