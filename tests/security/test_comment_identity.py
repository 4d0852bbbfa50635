"""A returning commenter goes live at once only on proof: the signed cookie their browser got with an
earlier comment that an editor approved. An approved reader's address typed by anyone else is held."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments import commenters
from comments.models import Comment
from comments.services import comments_moderate
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db

ANA = "ana.reader@example.com"


def post(client, article, **fields):
    return client.post(reverse("comments:post", args=[article.pk]), cf.post_data(article, **fields))


@pytest.fixture
def ana():
    """Ana's browser, after her first comment was approved."""
    browser = Client()
    first = factories.article()
    post(browser, first, author_email=ANA, author_name="Ana", body_text="First thoughts on cobalt.")
    comments_moderate(comments=Comment.objects.filter(author_email=ANA), status=Comment.Status.APPROVED)
    return browser


def test_a_comment_under_an_approved_readers_email_with_another_name_is_held(ana):
    """Someone else typing Ana's address, under another name or her own, waits for an editor."""
    article = factories.article()
    stranger = Client()
    post(stranger, article, author_email=ANA, author_name="Ana's Editor", body_text="Retracting all I said.")
    post(stranger, article, author_email=ANA, author_name="Ana", body_text="Also me, honestly.")
    assert set(Comment.objects.filter(article=article).values_list("status", flat=True)) == {
        Comment.Status.PENDING
    }
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Retracting all I said." not in page and "Also me, honestly." not in page


def test_the_approved_reader_from_her_own_browser_goes_live(ana):
    """Ana's own browser carries the proof of her approved comment: her next one is live at once."""
    article = factories.article()
    response = post(ana, article, author_email=ANA, author_name="Ana", body_text="A follow-up on refining.")
    comment = Comment.objects.get(article=article)
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_a_forged_or_borrowed_cookie_proves_nothing(ana):
    """An unsigned cookie naming Ana's comment, or one signed for another purpose, is no proof."""
    article = factories.article()
    ana_comment = Comment.objects.get(author_email=ANA)
    forger = Client()
    forger.cookies[commenters.COOKIE] = f"{ana_comment.pk}"
    post(forger, article, author_email=ANA, body_text="Forged one.")
    borrowed = Client()
    other_purpose = signing.get_cookie_signer(salt="newsroom_reader" + "comments.reader")
    borrowed.cookies[commenters.COOKIE] = other_purpose.sign(str(ana_comment.pk))
    post(borrowed, article, author_email=ANA, body_text="Borrowed one.")
    assert not Comment.objects.filter(article=article, status=Comment.Status.APPROVED).exists()


def test_proof_of_a_held_comment_is_no_proof():
    """A browser whose own comment under an address is still held earns nothing from others' approvals."""
    cf.comment(author_email=ANA)  # Ana's approved comment, from her browser
    stranger = Client()
    post(stranger, factories.article(), author_email=ANA, body_text="Held first try.")
    article = factories.article()
    post(stranger, article, author_email=ANA, body_text="Second try with a cookie.")
    assert Comment.objects.get(article=article).status == Comment.Status.PENDING
