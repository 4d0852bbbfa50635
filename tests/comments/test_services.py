import pytest
from django.db import IntegrityError, transaction

from comments.models import Comment, CommentLike
from comments.services import DuplicateComment, comment_create, comment_like, comments_moderate
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


def data(**fields):
    return {"author_name": "Ana", "author_email": "ana@example.com", "body_text": "Words.", **fields}


def test_comment_create_stores_status_from_moderation():
    """A new email is held; the same email once approved goes live."""
    article = factories.article()
    first = comment_create(article=article, data=data(), ip="192.0.2.1", user_agent="UA", user=None)
    assert first.status == Comment.Status.PENDING
    comments_moderate(comments=Comment.objects.filter(pk=first.pk), status=Comment.Status.APPROVED)
    second = comment_create(article=article, data=data(body_text="More."), ip="192.0.2.1", user_agent="UA")
    assert second.status == Comment.Status.APPROVED


def test_comment_create_with_a_spam_reason_stores_spam():
    """A comment the security form flagged is kept as spam, whatever moderation would say."""
    cf.comment(author_email="ana@example.com")
    comment = comment_create(
        article=factories.article(), data=data(), ip="192.0.2.1", user_agent="", spam_reason="too_fast"
    )
    assert comment.status == Comment.Status.SPAM


def test_comment_create_refuses_duplicates():
    """The same words from the same email on one article raise DuplicateComment."""
    article = factories.article()
    comment_create(article=article, data=data(), ip="192.0.2.1", user_agent="")
    with pytest.raises(DuplicateComment):
        comment_create(article=article, data=data(body_text=" WORDS. "), ip="192.0.2.2", user_agent="")


def test_database_refuses_a_duplicate_the_check_missed():
    """The unique constraint stops a duplicate that raced past the service's check."""
    article = factories.article()
    cf.comment(article=article, author_email="ana@example.com", body_text="Race me.")
    with pytest.raises(IntegrityError), transaction.atomic():
        cf.comment(article=article, author_email="ana@example.com", body_text="race  me.")


def test_comment_create_keeps_an_invalid_address_out():
    """An unparseable client address is stored as empty rather than failing the post."""
    comment = comment_create(article=factories.article(), data=data(), ip="not-an-ip", user_agent="x" * 500)
    assert comment.ip_address is None
    assert len(comment.user_agent) == 300


def test_comment_like_counts_each_voter_once():
    """Two likes from one voter add one; another voter adds another."""
    comment = cf.comment()
    assert comment_like(comment=comment, voter="a" * 32) == (1, True)
    assert comment_like(comment=comment, voter="a" * 32) == (1, False)
    assert comment_like(comment=comment, voter="b" * 32) == (2, True)
    assert CommentLike.objects.filter(comment=comment).count() == 2


def test_comments_moderate_counts_changes_and_rejects_unknown_status():
    """Moderation reports how many changed and refuses a status that does not exist."""
    article = factories.article()
    held = [cf.comment(article=article, status=Comment.Status.PENDING) for _ in range(2)]
    cf.comment(article=article)
    assert comments_moderate(comments=Comment.objects.filter(article=article), status="approved") == 2
    assert all(Comment.objects.get(pk=c.pk).status == "approved" for c in held)
    with pytest.raises(ValueError):
        comments_moderate(comments=Comment.objects.all(), status="published")
