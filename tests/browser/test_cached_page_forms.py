"""The reader forms on a page served from the page cache, in a real browser, with and without JavaScript."""

import pytest
from django.db import connections
from playwright.sync_api import expect

from comments.models import Comment
from newsletter.models import Subscriber
from tests.support import factories_comments as cf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def cached_site(settings):
    settings.NEWSROOM_PAGE_CACHE = settings.NEWSROOM_FRAGMENT_CACHE = True
    settings.SESSION_COOKIE_SECURE = False
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    yield
    # ORM calls made while Playwright's loop ran used their own connection; close it so the
    # test database can be dropped at the end of the run.
    connections.close_all()


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def open_cached(page, url):
    """Open `url` once to store it, then again: the page the reader works with came from the cache."""
    page.goto(url)
    response = page.goto(url)
    assert response.headers.get("x-page-cache") == "hit"
    assert "csrfmiddlewaretoken" not in page.content()


def fill_comment(page, *, email, text):
    page.fill("#id_author_name", "Reader")
    page.fill("#id_author_email", email)
    page.fill("#id_body_text", text)


def test_comment_with_javascript(page, live_server):
    """The script fetches a token when the reader starts on the form; the comment is stored as held, not
    spam."""
    comment = cf.comment()
    url = live_server.url + comment.article.get_absolute_url()
    open_cached(page, url)
    fill_comment(page, email="js@example.com", text="Tailings dams need independent audits.")
    # Playwright's own assertions, not wait_for_function: a polled string is eval'd, which the CSP forbids.
    expect(page.locator("#comment-form input[name=token]")).not_to_have_value("", timeout=15_000)
    page.click("#comment-form button[type=submit]")
    page.wait_for_url("**#comments")
    assert "awaiting moderation" in page.text_content(".comment-ack")
    assert Comment.objects.get(author_email="js@example.com").status == Comment.Status.PENDING
    assert page.problems == []


def test_comment_sent_before_the_token_arrives_waits_for_it(page, live_server):
    """A reader who submits at once still posts with a token of their own."""
    comment = cf.comment()
    url = live_server.url + comment.article.get_absolute_url()
    open_cached(page, url)
    # Fill the fields without focusing the form, then submit: the token is fetched on submit.
    page.evaluate("""() => {
        const form = document.getElementById('comment-form');
        form.querySelector('#id_author_name').value = 'Quick';
        form.querySelector('#id_author_email').value = 'quick@example.com';
        form.querySelector('#id_body_text').value = 'Sent straight away.';
        form.querySelector('button[type=submit]').click();
    }""")
    page.wait_for_url("**#comments")
    assert Comment.objects.get(author_email="quick@example.com").status == Comment.Status.PENDING


def test_reply_and_like_with_javascript(page, live_server):
    """Reply in place and like in place work on a cached page."""
    parent = cf.comment(author_name="Ana", like_count=0)
    url = live_server.url + parent.article.get_absolute_url()
    open_cached(page, url)
    page.click(f"#comment-{parent.pk} .like-button")
    expect(page.locator(f"#comment-{parent.pk} .like-count").first).to_have_text("1 like", timeout=15_000)
    page.click(f"#comment-{parent.pk} a.reply-link")
    fill_comment(page, email="reply@example.com", text="Agreed, and the audits should be public.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url("**#comments")
    assert Comment.objects.get(author_email="reply@example.com").parent_id == parent.pk
    parent.refresh_from_db()
    assert parent.like_count == 1
    assert page.problems == []


def test_signup_with_javascript(page, live_server):
    """The signup box at the end of a cached article signs the reader up."""
    comment = cf.comment()
    open_cached(page, live_server.url + comment.article.get_absolute_url())
    page.fill("#signup-email-end", "reader@example.org")
    page.click(".signup-box__form button[type=submit]")
    page.wait_for_url("**/newsletter/thanks/")
    assert Subscriber.objects.filter(email="reader@example.org").exists()


def test_comment_without_javascript_is_confirmed_on_a_page_with_a_token(no_script_page, live_server):
    """Without script, the first post shows the comment back with a token; posting it stores it, held."""
    page = no_script_page
    comment = cf.comment()
    open_cached(page, live_server.url + comment.article.get_absolute_url())
    fill_comment(page, email="noscript@example.com", text="Written without any script at all.")
    page.click("#comment-form button[type=submit]")
    assert page.text_content("h1") == "Check your comment and post it"
    assert page.input_value("#id_body_text") == "Written without any script at all."
    assert not Comment.objects.filter(author_email="noscript@example.com").exists()
    page.click("#comment-form button[type=submit]")
    page.wait_for_url("**#comments")
    assert "awaiting moderation" in page.text_content(".comment-ack")
    assert Comment.objects.get(author_email="noscript@example.com").status == Comment.Status.PENDING


def test_reply_like_and_signup_without_javascript(no_script_page, live_server):
    """Reply (through its link and the confirm page), like and signup all work without script."""
    page = no_script_page
    parent = cf.comment(author_name="Ana", like_count=0)
    url = live_server.url + parent.article.get_absolute_url()
    open_cached(page, url)
    page.click(f"#comment-{parent.pk} .like-button")
    page.wait_for_url(f"**#comment-{parent.pk}")
    assert page.text_content(f"#comment-{parent.pk} .like-count") == "1 like"

    page.click(f"#comment-{parent.pk} a.reply-link")
    assert page.text_content("#comment-form-heading") == "Reply to Ana"
    fill_comment(page, email="noscript-reply@example.com", text="A reply with no script.")
    page.click("#comment-form button[type=submit]")
    page.click("#comment-form button[type=submit]")  # on the confirm page
    page.wait_for_url("**#comments")
    assert Comment.objects.get(author_email="noscript-reply@example.com").parent_id == parent.pk

    open_cached(page, url)
    page.fill("#signup-email-end", "noscript@example.org")
    page.click(".signup-box__form button[type=submit]")
    page.wait_for_url("**/newsletter/thanks/")
    assert Subscriber.objects.filter(email="noscript@example.org").exists()
