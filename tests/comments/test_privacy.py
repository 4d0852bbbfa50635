import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db

EMAIL = "private.person@example.com"
IP = "203.0.113.201"


def test_email_and_ip_never_appear_in_public_responses(client):
    """Neither the article page, the post answer nor the like answer contains the commenter's email or IP."""
    cf.comment(author_email=EMAIL)  # trusted, so the next one goes live
    article = factories.article()
    posted = client.post(
        reverse("comments:post", args=[article.pk]),
        cf.post_data(article, author_email=EMAIL, author_name="Private Person"),
        REMOTE_ADDR=IP,
        follow=True,
    )
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED and comment.ip_address == IP
    cf.comment(article=article, parent=comment, author_email="other@example.com")
    liked = Client().post(reverse("comments:like", args=[comment.pk]), HTTP_ACCEPT="application/json")
    liked_plain = Client().post(reverse("comments:like", args=[comment.pk]), follow=True)
    pages = [
        posted,
        liked,
        liked_plain,
        Client().get(article.get_absolute_url()),
        Client().get(article.get_absolute_url(), {"replyto": comment.pk}),
    ]
    for response in pages:
        body = response.content
        assert b"Private Person" in body or response is liked
        for secret in (EMAIL, EMAIL.split("@")[0], IP):
            assert secret.encode() not in body, f"{secret} leaked"
        for header in response.headers.values():
            assert EMAIL not in header and IP not in header


def test_xss_in_comment_body_renders_inert(client):
    """Script tags and event handlers typed into a comment are shown as text, never as markup."""
    cf.comment(author_email="trusted@example.com")
    article = factories.article()
    payload = (
        '<script>alert(1)</script> and <img src=x onerror=alert(2)> and <a href="javascript:alert(3)">x</a>'
    )
    client.post(
        reverse("comments:post", args=[article.pk]),
        cf.post_data(article, author_email="trusted@example.com", body_text=payload),
    )
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html and '<img src="x"' not in html
    assert '<a href="javascript:' not in html
    assert '&lt;a href="javascript:alert(3)"&gt;x&lt;/a&gt;' in html  # shown as the text typed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_xss_in_name_and_website_renders_inert(client):
    """A hostile name is escaped; a javascript: website is refused by the form."""
    article = factories.article()
    cf.comment(article=article, author_name='<b onmouseover="alert(1)">Eve</b>')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=&quot;alert(1)&quot;&gt;Eve&lt;/b&gt;" in html
    response = client.post(
        reverse("comments:post", args=[article.pk]), cf.post_data(article, author_url="javascript:alert(1)")
    )
    assert response.status_code == 400


def test_urls_become_nofollow_ugc_links_and_paragraphs_are_kept(client):
    """Plain-text paragraphs become <p>, web addresses become links with rel=nofollow ugc noopener."""
    article = factories.article()
    text = "See https://www.usgs.gov/centers/nmic for data.\n\nSecond paragraph."
    cf.comment(article=article, body_text=text)
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<p>See <a href="https://www.usgs.gov/centers/nmic" rel="nofollow ugc noopener">'
        "https://www.usgs.gov/centers/nmic</a> for data.</p><p>Second paragraph.</p>"
    ) in html


def test_honeypot_is_hidden_from_people():
    """The trap field is hidden from sight, screen readers and keyboard focus, but present for bots."""
    article = factories.article()
    html = Client().get(article.get_absolute_url()).content.decode()
    trap = html[html.index('class="comment-form__trap"') - 5 :]
    trap = trap[: trap.index("</div>")]
    assert 'aria-hidden="true"' in trap and 'tabindex="-1"' in trap and 'name="honeypot"' in trap
    assert "style=" not in html
