import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentLike
from comments.views import READER_COOKIE
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


def like(client, comment, **extra):
    return client.post(reverse("comments:like", args=[comment.pk]), **extra)


def test_like_without_javascript_redirects_back_to_the_comment(client):
    """A plain form post counts the like and returns the reader to the comment."""
    comment = cf.comment()
    response = like(client, comment)
    assert response.status_code == 302
    assert response["Location"] == f"{comment.article.get_absolute_url()}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.like_count == 1
    assert "1 like<" in client.get(response["Location"]).content.decode()


def test_one_like_per_reader(client):
    """The same reader (cookie and address) liking twice counts once."""
    comment = cf.comment()
    like(client, comment)
    second = like(client, comment, HTTP_ACCEPT="application/json")
    assert second.json() == {"likes": 1, "added": False}
    assert CommentLike.objects.count() == 1
    comment.refresh_from_db()
    assert comment.like_count == 1


def test_the_reader_cookie_is_signed_and_reused(client):
    """The first like sets a signed, HttpOnly reader cookie; a tampered cookie is replaced, not trusted."""
    comment = cf.comment()
    response = like(client, comment)
    cookie = response.cookies[READER_COOKIE]
    assert cookie["httponly"] and ":" in cookie.value
    assert READER_COOKIE not in like(client, cf.comment(article=comment.article)).cookies
    client.cookies[READER_COOKIE] = "forged-value"
    assert READER_COOKIE in like(client, cf.comment(article=comment.article)).cookies


def test_different_readers_each_count(client):
    """Two browsers (two cookies) on one address, or one cookie from two addresses, are different voters."""
    comment = cf.comment()
    like(Client(), comment)
    like(Client(), comment)
    browser = Client()
    like(browser, comment, REMOTE_ADDR="192.0.2.1")
    like(browser, comment, REMOTE_ADDR="192.0.2.2")
    comment.refresh_from_db()
    assert comment.like_count == 4


def test_like_with_fetch_answers_json(client):
    """The script's request gets the new count as JSON."""
    comment = cf.comment(like_count=4)
    response = like(client, comment, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"likes": 5, "added": True}


def test_voter_is_a_hash_not_the_address(client):
    """The stored voter fingerprint never contains the reader's IP."""
    comment = cf.comment()
    like(client, comment, REMOTE_ADDR="203.0.113.50")
    voter = CommentLike.objects.get().voter
    assert len(voter) == 32 and "203.0.113" not in voter


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED])
def test_only_approved_comments_can_be_liked(client, status):
    """Likes on unseen comments are a 404."""
    comment = cf.comment(status=status)
    assert like(client, comment).status_code == 404
    assert not CommentLike.objects.exists()


def test_like_needs_post_from_this_site():
    """GET does nothing; a POST another site makes the browser send is refused, with no CSRF token needed."""
    comment = cf.comment()
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(reverse("comments:like", args=[comment.pk])).status_code == 405
    assert like(browser, comment, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert like(browser, comment, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert not CommentLike.objects.exists()
    assert like(browser, comment, HTTP_SEC_FETCH_SITE="same-origin").status_code == 302
    assert CommentLike.objects.count() == 1


def test_likes_are_rate_limited_per_address(client, settings):
    """Clearing cookies to like again is bounded by a per-address limit."""
    settings.COMMENTS_LIKES_PER_IP = 2
    comment = cf.comment()
    assert like(Client(), comment).status_code == 302
    assert like(Client(), comment).status_code == 302
    assert like(Client(), comment).status_code == 429
    comment.refresh_from_db()
    assert comment.like_count == 2


def test_closed_discussion_takes_no_likes(client):
    """On an article with comments switched off, counts show but likes are refused."""
    from tests.support import factories

    comment = cf.comment(article=factories.article(allow_comments=False), like_count=2)
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert "2 likes" in html and "like-form" not in html
    assert like(client, comment, HTTP_ACCEPT="application/json").status_code == 403
    comment.refresh_from_db()
    assert comment.like_count == 2 and not CommentLike.objects.exists()


def test_cookieless_likes_from_one_address_are_capped_per_comment(client, settings):
    """Dropping the cookie to like one comment again and again stops counting at the per-address cap."""
    settings.COMMENTS_LIKES_PER_COMMENT_PER_IP = 2
    comment, other = cf.comment(), cf.comment()
    answers = [like(Client(), comment, HTTP_ACCEPT="application/json").json() for _ in range(4)]
    assert answers[-1] == {"likes": 2, "added": False}
    assert [a["added"] for a in answers] == [True, True, False, False]
    assert like(Client(), other, HTTP_ACCEPT="application/json").json()["added"]
    assert like(Client(), comment, HTTP_ACCEPT="application/json", REMOTE_ADDR="192.0.2.8").json()["added"]
    comment.refresh_from_db()
    assert comment.like_count == 3 and CommentLike.objects.filter(comment=comment).count() == 3
