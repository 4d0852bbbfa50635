import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comments.views import HELD_MESSAGE
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


def post(client, article, **overrides):
    return client.post(reverse("comments:post", args=[article.pk]), cf.post_data(article, **overrides))


def test_first_comment_is_held_and_the_reader_is_told(client):
    """A new commenter's comment is stored pending and the page says it awaits moderation."""
    article = factories.article()
    response = post(client, article, author_email="new@example.com", body_text="Lithium prices fell.")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#comments"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.author_email == "new@example.com"
    page = client.get(response["Location"])
    assert HELD_MESSAGE in page.content.decode()
    assert "Lithium prices fell." not in page.content.decode()


def test_returning_commenter_goes_live_and_lands_on_the_comment(client):
    """An approved email's next comment is live, and the reader is sent to it."""
    cf.comment(author_email="known@example.com")
    article = factories.article()
    response = post(client, article, author_email="Known@Example.com", body_text="Nickel is next.")
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Your comment is live" in page
    assert "Nickel is next." in page


def test_stored_fields(client):
    """The raw text, sanitised body, address and browser are kept for moderators."""
    article = factories.article()
    client.post(
        reverse("comments:post", args=[article.pk]),
        cf.post_data(article, author_url="https://blog.example.com/", body_text="One.\n\nTwo."),
        HTTP_USER_AGENT="TestBrowser/1.0",
        REMOTE_ADDR="203.0.113.9",
    )
    comment = Comment.objects.get()
    assert comment.body_text == "One.\n\nTwo."
    assert comment.body == "<p>One.</p><p>Two.</p>"
    assert comment.ip_address == "203.0.113.9"
    assert comment.user_agent == "TestBrowser/1.0"
    assert comment.author_url == "https://blog.example.com/"


@pytest.mark.parametrize("missing", ["author_name", "author_email", "body_text"])
def test_required_fields_rerender_with_input_kept(client, missing):
    """A missing required field re-shows the form with an error and everything else typed kept."""
    article = factories.article()
    typed = {"author_name": "Keep Me", "author_email": "keep@example.com", "body_text": "Kept words"}
    data = cf.post_data(article, **typed)
    data[missing] = ""
    response = client.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    for name, value in typed.items():
        if name != missing:
            assert value in html
    assert not Comment.objects.exists()


def test_invalid_email_and_website_are_refused(client):
    """A malformed email or a non-web URL is an error, not a stored comment."""
    article = factories.article()
    response = post(client, article, author_email="not-an-email", author_url="javascript:alert(1)")
    assert response.status_code == 400
    assert response.context["form"].has_error("author_email", "invalid")
    assert response.context["form"].has_error("author_url", "invalid")
    assert not Comment.objects.exists()


def test_body_longer_than_the_limit_is_refused(client, settings):
    """The maximum length is enforced on the server, not just in the browser."""
    settings.COMMENTS_MAX_LENGTH = 50
    article = factories.article()
    response = post(client, article, body_text="x" * 51)
    assert response.status_code == 400
    assert response.context["form"].has_error("body_text", "max_length")
    assert post(client, article, body_text="x" * 50).status_code == 302


def test_reply_to_an_approved_comment_on_the_same_article(client):
    """A reply records its parent."""
    parent = cf.comment()
    post(client, parent.article, parent=str(parent.pk))
    reply = Comment.objects.exclude(pk=parent.pk).get()
    assert reply.parent == parent


@pytest.mark.parametrize(
    "parent_status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED]
)
def test_reply_to_an_unapproved_comment_is_refused(client, parent_status):
    """Replies may only answer comments readers can see."""
    parent = cf.comment(status=parent_status)
    response = post(client, parent.article, parent=str(parent.pk))
    assert response.status_code == 400
    assert response.context["form"].has_error("parent", "invalid_parent")
    assert Comment.objects.count() == 1


def test_reply_to_a_comment_on_another_article_is_refused(client):
    """A parent from another article is refused."""
    elsewhere = cf.comment()
    article = factories.article()
    response = post(client, article, parent=str(elsewhere.pk))
    assert response.status_code == 400
    assert response.context["form"].has_error("parent", "invalid_parent")


def test_duplicate_body_from_same_email_is_refused(client):
    """The same words from the same email on the same article are stored once."""
    article = factories.article()
    first = post(client, article, author_email="twice@example.com", body_text="Same  words.")
    assert first.status_code == 302
    again = post(client, article, author_email="twice@example.com", body_text="same words.")
    assert again.status_code == 400
    assert again.context["form"].has_error("body_text", "duplicate")
    assert Comment.objects.count() == 1


def test_duplicate_body_from_same_address_is_refused(client):
    """The same words from the same IP under another email are refused too."""
    article = factories.article()
    post(client, article, author_email="one@example.com", body_text="Copy paste.")
    again = post(client, article, author_email="two@example.com", body_text="Copy paste.")
    assert again.status_code == 400
    assert Comment.objects.count() == 1


def test_same_body_on_another_article_is_allowed(client):
    """Duplicates are per article: the same remark may fit two stories."""
    post(client, factories.article(), author_email="one@example.com", body_text="Good reporting.")
    again = post(client, factories.article(), author_email="one@example.com", body_text="Good reporting.")
    assert again.status_code == 302
    assert Comment.objects.count() == 2


def test_posting_to_a_closed_article_is_refused(client):
    """allow_comments off: nothing is stored and the reader is told comments are off."""
    article = factories.article(allow_comments=False)
    response = post(client, article)
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert "switched off" in client.get(response["Location"]).content.decode()


def test_posting_after_auto_close_is_refused(client, settings):
    """N days after publication the form is gone and posts are refused."""
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    article = factories.article(publish_at=timezone.now() - timedelta(days=8))
    cf.comment(article=article, body_text="An early comment.")
    post(client, article)
    assert Comment.objects.count() == 1
    page = client.get(article.get_absolute_url()).content.decode()
    assert "An early comment." in page
    assert "closed 7 days after publication" in page
    assert 'id="comment-form"' not in page
    assert "replyto=" not in page


def test_closed_article_shows_comments_read_only(client):
    """With comments switched off, existing comments still show, without form or reply links."""
    article = factories.article(allow_comments=False)
    cf.comment(article=article, body_text="Kept for the record.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Kept for the record." in page
    assert "Comments are switched off for this article." in page
    assert 'id="comment-form"' not in page


def test_unpublished_article_takes_no_comments(client):
    """Posting to a draft is a 404, like reading it."""
    from articles.models import Article

    article = factories.article(status=Article.Status.DRAFT)
    assert post(client, article).status_code == 404


def test_get_is_not_allowed(client):
    """The post endpoint only takes POST."""
    article = factories.article()
    assert client.get(reverse("comments:post", args=[article.pk])).status_code == 405


def test_staff_reply_from_public_page_is_live_with_badge(client):
    """Logged-in staff post without name or email, go live at once, and carry the moderator badge."""
    staff = factories.user(first_name="Mei", last_name="Lin", email="mei@newsroom.example.com")
    client.force_login(staff)
    parent = cf.comment()
    article = parent.article
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="author_email"' not in page
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        {"token": cf.security_token(article, age=0), "body_text": "Thanks, corrected.", "parent": parent.pk},
    )
    reply = Comment.objects.get(user=staff)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    assert reply.status == Comment.Status.APPROVED
    assert reply.author_name == "Mei Lin"
    assert reply.parent == parent
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Thanks, corrected." in html
    assert 'badge--moderator">Moderator<' in html


def test_non_staff_login_still_fills_the_form(client):
    """A logged-in reader who is not staff is treated as any reader."""
    client.force_login(factories.user(staff=False))
    article = factories.article()
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        {"token": cf.security_token(article), "body_text": "Hello."},
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_overlong_name_email_and_website_are_form_errors(client):
    """Values longer than their columns are refused by the form, never failing in the database."""
    article = factories.article()
    response = post(
        client,
        article,
        author_name="n" * 81,
        author_email="e" * 250 + "@example.com",
        author_url="https://example.com/" + "p" * 300,
    )
    assert response.status_code == 400
    form = response.context["form"]
    for field in ("author_name", "author_email", "author_url"):
        assert form.has_error(field), field
    assert not Comment.objects.exists()


def test_correcting_an_error_quickly_is_not_taken_for_spam(client, settings):
    """The error page sends back the reader's original token, so a fast correction still counts as human."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 5
    article = factories.article()
    data = cf.post_data(article, author_email="typo@example", body_text="Quick fix.")
    response = client.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 400
    assert f'value="{data["token"]}"' in response.content.decode()
    data["author_email"] = "typo@example.com"
    assert client.post(reverse("comments:post", args=[article.pk]), data).status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_error_page_after_a_too_fast_post_issues_a_fresh_token(client, settings):
    """A token that failed its checks is never echoed back."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 5
    article = factories.article()
    data = cf.post_data(article, author_email="bad", token=cf.security_token(article, age=1))
    response = client.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="token"' in html and data["token"] not in html


def test_reply_to_a_vanished_parent_can_be_posted_again_as_a_comment(client):
    """After an unavailable-parent error the hidden parent is cleared, so posting again works."""
    parent = cf.comment(status=Comment.Status.REMOVED)
    data = cf.post_data(parent.article, parent=str(parent.pk), body_text="Still worth saying.")
    response = client.post(reverse("comments:post", args=[parent.article.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Post again to add yours as a new comment." in html
    assert re.search(r'<input type="hidden" name="parent" id="id_parent">', html)
    assert "Still worth saying." in html
    data["parent"] = ""
    assert client.post(reverse("comments:post", args=[parent.article.pk]), data).status_code == 302
    assert Comment.objects.get(body_text="Still worth saying.").parent is None


@pytest.mark.parametrize("with_author", [False, True])
def test_staff_login_name_is_never_published(client, with_author):
    """A staff reply without a full name is signed with the byline name or "Editor", never the username."""
    staff = factories.user(username="adm-login-7", email="")
    if with_author:
        factories.author(name="Desk Editor", user=staff)
    client.force_login(staff)
    article = factories.article()
    page = client.get(article.get_absolute_url()).content.decode()
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        {"token": cf.security_token(article), "body_text": "Noted, thank you."},
    )
    assert response.status_code == 302
    expected = "Desk Editor" if with_author else "Editor"
    assert Comment.objects.get().author_name == expected
    assert f"<strong>{expected}</strong>" in page
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "adm-login-7" not in html and "adm-login-7" not in page


def test_error_page_headings_do_not_skip_a_level(client):
    """The error page's form heading sits directly under its h1; on the article page it stays under the h2."""
    article = factories.article()
    html = post(client, article, author_email="bad").content.decode()
    assert '<h2 id="comment-form-heading">' in html and "<h3" not in html
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<h3 id="comment-form-heading">Add a comment</h3>' in page


def test_error_page_for_a_reply_says_it_is_a_reply(client):
    """A reply with a mistake comes back headed as a reply to its parent, with the parent kept."""
    parent = cf.comment(author_name="Ana")
    response = post(client, parent.article, parent=str(parent.pk), author_email="bad")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Reply to Ana" in html and f'name="parent" value="{parent.pk}"' in html


def test_form_fields_are_labelled_marked_and_autocompletable(client):
    """Each reader field has a label, a required marker where required, and its autocomplete purpose."""
    article = factories.article()
    html = client.get(article.get_absolute_url()).content.decode()
    for name, purpose, required in (
        ("author_name", "name", True),
        ("author_email", "email", True),
        ("author_url", "url", False),
    ):
        label = re.search(rf'<label for="id_{name}">(.*?)</label>', html).group(1)
        assert ('<span class="required">(required)</span>' in label) is required
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', html).group(0)
        assert f'autocomplete="{purpose}"' in field
        assert (" required" in field) is required
