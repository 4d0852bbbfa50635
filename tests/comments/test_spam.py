import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from comments.views import HELD_MESSAGE
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


def post(client, article, **overrides):
    url = reverse("comments:post", args=[article.pk])
    return client.post(url, cf.post_data(article, **overrides), follow=True)


def held_page(client, article):
    """What an honest first-time commenter sees after posting."""
    response = post(client, article, author_email="honest@example.com", body_text="An honest remark.")
    return response


def assert_looks_held(response, article):
    assert response.status_code == 200
    assert response.redirect_chain == [(article.get_absolute_url() + "#comments", 302)]
    assert HELD_MESSAGE in response.content.decode()


def test_honeypot_is_dropped_silently(client):
    """A filled honeypot stores nothing and answers like a held comment."""
    article = factories.article()
    response = post(client, article, honeypot="Acme Pills Ltd")
    assert_looks_held(response, article)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("token", ["garbage", "eyJhcnRpY2xlIjoxfQ:1abc:def"])
def test_forged_token_is_dropped_silently(client, token):
    """A token not signed here stores nothing and answers like a held comment."""
    article = factories.article()
    response = post(client, article, token=token)
    assert_looks_held(response, article)
    assert not Comment.objects.exists()


def test_token_for_another_article_is_dropped(client):
    """A token is bound to the article whose page issued it."""
    article, other = factories.article(), factories.article()
    response = post(client, article, token=cf.security_token(other))
    assert_looks_held(response, article)
    assert not Comment.objects.exists()


def test_token_signed_with_another_salt_is_dropped(client):
    """A token signed for another purpose on this site is not a comment token."""
    from django.core import signing

    article = factories.article()
    response = post(client, article, token=signing.dumps({"article": article.pk, "issued": 0}))
    assert_looks_held(response, article)
    assert not Comment.objects.exists()


def test_too_fast_submission_is_stored_as_spam(client, settings):
    """A form sent back faster than a person can write is spam, and the bot is not told."""
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 5
    cf.comment(author_email="fast@example.com")  # even a trusted email is not trusted at machine speed
    article = factories.article()
    response = post(client, article, author_email="fast@example.com", token=cf.security_token(article, age=1))
    assert_looks_held(response, article)
    assert Comment.objects.get(article=article).status == Comment.Status.SPAM


def test_expired_token_is_stored_as_spam(client, settings):
    """A form older than the maximum age is spam (an editor may rescue it), and looks held."""
    settings.COMMENTS_TOKEN_MAX_AGE = 3600
    article = factories.article()
    response = post(client, article, token=cf.security_token(article, age=3700))
    assert_looks_held(response, article)
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_spam_answer_matches_the_held_answer(client):
    """The honeypot, forged and too-fast answers are the same page as an honest held comment."""
    article = factories.article()
    honest = held_page(Client(), article)
    for overrides in ({"honeypot": "x"}, {"token": "forged"}, {"token": cf.security_token(article, age=0)}):
        spam = post(Client(), article, **overrides)
        assert spam.redirect_chain == honest.redirect_chain
        assert spam.content.decode().count(HELD_MESSAGE) == 1


def test_the_token_view_issues_a_token_bound_to_the_article(client):
    """The page's script fetches a signed token bound to the article; it is never stored by any cache."""
    from comments.forms import CommentSecurityForm

    article = factories.article()
    response = client.get(reverse("comments:token", args=[article.pk]))
    assert "no-store" in response["Cache-Control"]
    token = response.json()["token"]
    check = CommentSecurityForm({"token": token, "honeypot": ""}, article=article, skip_speed_check=True)
    assert check.is_valid()
    elsewhere = CommentSecurityForm({"token": token}, article=factories.article(), skip_speed_check=True)
    assert not elsewhere.is_valid()


def test_no_token_for_closed_or_unpublished_articles(client):
    """Articles readers cannot comment on hand out no tokens."""
    closed = factories.article(allow_comments=False)
    draft = factories.article(status="draft")
    assert client.get(reverse("comments:token", args=[closed.pk])).status_code == 403
    assert client.get(reverse("comments:token", args=[draft.pk])).status_code == 404


def test_posts_from_another_site_are_refused():
    """A comment another site makes the reader's browser send is refused before anything else."""
    article = factories.article()
    browser = Client(enforce_csrf_checks=True)
    url = reverse("comments:post", args=[article.pk])
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ):
        assert browser.post(url, cf.post_data(article), **headers).status_code == 403, headers
    assert not Comment.objects.exists()


def test_posts_from_this_site_need_no_csrf_token():
    """Same-origin posts, as browsers mark them, go through without a CSRF token."""
    article = factories.article()
    browser = Client(enforce_csrf_checks=True)
    url = reverse("comments:post", args=[article.pk])
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "https://news.example.org"},
    ):
        assert browser.post(url, cf.post_data(article), **headers).status_code == 302, headers
    assert Comment.objects.count() == 3


def test_comment_section_forms_carry_no_tokens(client):
    """The comment section's forms (comment and each like) carry no CSRF token and no form token."""
    comment = cf.comment()
    html = client.get(comment.article.get_absolute_url()).content.decode()
    section = html[html.index('<section class="comments"') :]
    section = section[: section.index("</section>")]
    assert section.count("<form") == 2
    assert "csrfmiddlewaretoken" not in section
    token_input = re.search(r'<input[^>]*name="token"[^>]*>', section).group(0)
    assert "value=" not in token_input


def test_rate_limit_per_ip(client, settings):
    """Past the per-address limit, a readable 429 page, and nothing more is stored."""
    settings.COMMENTS_RATE_PER_IP = 3
    article = factories.article()
    for _ in range(3):
        assert post(client, article).status_code == 200
    response = client.post(reverse("comments:post", args=[article.pk]), cf.post_data(article))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Comment.objects.count() == 3
    other_address = client.post(
        reverse("comments:post", args=[article.pk]), cf.post_data(article), REMOTE_ADDR="192.0.2.44"
    )
    assert other_address.status_code == 302


def test_rate_limit_per_email(client, settings):
    """One email cannot flood the queue from many addresses."""
    settings.COMMENTS_RATE_PER_EMAIL = 2
    article = factories.article()
    for n in range(2):
        response = client.post(
            reverse("comments:post", args=[article.pk]),
            cf.post_data(article, author_email="flood@example.com"),
            REMOTE_ADDR=f"192.0.2.{n + 1}",
        )
        assert response.status_code == 302
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        cf.post_data(article, author_email="FLOOD@example.com"),
        REMOTE_ADDR="192.0.2.99",
    )
    assert response.status_code == 429
    assert Comment.objects.count() == 2


def test_staff_are_not_rate_limited(client, settings):
    """Moderators answering a busy thread are not throttled."""
    settings.COMMENTS_RATE_PER_IP = 1
    client.force_login(factories.user())
    article = factories.article()
    for n in range(3):
        response = client.post(
            reverse("comments:post", args=[article.pk]),
            {"token": cf.security_token(article), "body_text": f"Note {n}"},
        )
        assert response.status_code == 302
    assert Comment.objects.count() == 3


class KeySpy:
    """Stands in for the cache in the rate limiter and notes every key it is given."""

    def __init__(self, inner):
        self.inner, self.keys = inner, []

    def __getattr__(self, name):
        method = getattr(self.inner, name)

        def recorded(key, *args, **kwargs):
            self.keys.append(key)
            return method(key, *args, **kwargs)

        return recorded


def test_cache_keys_never_hold_the_address_or_email(client, monkeypatch):
    """Rate-limit keys use keyed hashes, never the reader's IP or email in the clear (any cache backend)."""
    from core import ratelimit

    spy = KeySpy(ratelimit.cache)
    monkeypatch.setattr(ratelimit, "cache", spy)
    article = factories.article()
    client.post(
        reverse("comments:post", args=[article.pk]),
        cf.post_data(article, author_email="secret.reader@example.com"),
        REMOTE_ADDR="203.0.113.77",
    )
    assert any("comments-ip" in key for key in spy.keys)
    assert any("comments-email" in key for key in spy.keys)
    assert not any("203.0.113.77" in key or "secret.reader" in key for key in spy.keys)


def test_rate_limit_page_says_how_long_to_wait(client, settings, monkeypatch):
    """The 429 page and its Retry-After header give the time left in the window, not a flat minute."""
    from core import ratelimit

    settings.COMMENTS_RATE_PER_IP = 1
    settings.COMMENTS_RATE_WINDOW = 600
    monkeypatch.setattr(ratelimit.time, "time", lambda: 600 * 2_900_000 + 120.5)
    article = factories.article()
    url = reverse("comments:post", args=[article.pk])
    assert client.post(url, cf.post_data(article)).status_code == 302
    response = client.post(url, cf.post_data(article))
    assert response.status_code == 429
    assert response["Retry-After"] == "480"
    assert "Please wait about 8 minutes and try again." in response.content.decode()


def test_a_token_posts_one_comment_only(client):
    """Replaying a form token that already stored a comment is dropped silently, like a forged one."""
    article = factories.article()
    token = cf.security_token(article)
    first = post(client, article, token=token, body_text="First words.")
    assert_looks_held(first, article)
    replay = post(Client(), article, token=token, body_text="Different words, same old form.")
    assert_looks_held(replay, article)
    assert list(Comment.objects.values_list("body_text", flat=True)) == ["First words."]
    assert post(client, article, body_text="A fresh form works.").status_code == 200
    assert Comment.objects.count() == 2
