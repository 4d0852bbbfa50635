from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.moderation import Moderator
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


def unsaved(article, **fields):
    values = {"author_name": "Ana", "author_email": "ana@example.com", "body_text": "Plain words.", **fields}
    return Comment(article=article, **values)


def test_first_comment_from_an_email_is_held():
    """A new email address waits for an editor."""
    article = factories.article()
    assert Moderator().status_for(unsaved(article)) == Comment.Status.PENDING


def test_returning_approved_commenter_goes_live():
    """An email with an approved comment anywhere on the site is trusted."""
    cf.comment(author_email="ana@example.com")
    assert Moderator().status_for(unsaved(factories.article())) == Comment.Status.APPROVED


def test_pending_or_spam_history_does_not_count_as_approved():
    """Only an approved comment earns trust; held or spam ones do not."""
    cf.comment(author_email="ana@example.com", status=Comment.Status.PENDING)
    cf.comment(author_email="ana@example.com", status=Comment.Status.SPAM, body_text="other")
    assert Moderator().status_for(unsaved(factories.article())) == Comment.Status.PENDING


def test_a_staff_reply_does_not_make_its_address_trusted():
    """A reader typing the address a staff reply was sent from is still held."""
    cf.comment(author_email="desk@newsroom.example.com", user=factories.user())
    comment = unsaved(factories.article(), author_email="desk@newsroom.example.com")
    assert Moderator().status_for(comment) == Comment.Status.PENDING


def test_too_many_links_are_held_whatever_the_history(settings):
    """More links than the limit hold the comment even for a trusted commenter."""
    settings.COMMENTS_MAX_LINKS = 2
    cf.comment(author_email="ana@example.com")
    article = factories.article()
    two = unsaved(article, body_text="See https://a.example.com/x and https://b.example.com/y")
    three = unsaved(article, body_text="https://a.example.com/ https://b.example.com/ and www.c-example.com")
    assert Moderator().status_for(two) == Comment.Status.APPROVED
    assert Moderator().status_for(three) == Comment.Status.PENDING


def test_blocklisted_word_is_held_whatever_the_history(settings):
    """A blocklisted word or phrase, in any case or spacing, holds the comment; a longer word does not."""
    settings.COMMENTS_BLOCKLIST = ["casino", "cheap pills", "$$$"]
    cf.comment(author_email="ana@example.com")
    article = factories.article()

    def status(**fields):
        return Moderator().status_for(unsaved(article, **fields))

    assert status(body_text="Visit our CASINO now") == Comment.Status.PENDING
    assert status(body_text="buy Cheap  pills") == Comment.Status.PENDING
    assert status(body_text="buy cheap\npills") == Comment.Status.PENDING
    assert status(body_text="cheap pillsbox") == Comment.Status.APPROVED
    assert status(body_text="Earn $$$ today") == Comment.Status.PENDING
    assert status(body_text="cheap pills here") == Comment.Status.PENDING
    assert status(body_text="casinos are a topic") == Comment.Status.APPROVED
    assert status(author_name="Casino King") == Comment.Status.PENDING


def test_moderator_attributes_override_settings():
    """A Moderator configured by keyword uses its own rules."""
    cf.comment(author_email="ana@example.com")
    moderator = Moderator(max_links=0, blocklist=["tariff"])
    article = factories.article()
    linked = unsaved(article, body_text="https://a.example.com/")
    assert moderator.status_for(linked) == Comment.Status.PENDING
    assert moderator.status_for(unsaved(article, body_text="Tariff news")) == Comment.Status.PENDING
    assert moderator.status_for(unsaved(article)) == Comment.Status.APPROVED


def test_staff_comment_goes_live():
    """Staff replies skip the queue."""
    staff = factories.user()
    links = "https://a.example.com https://b.example.com https://c.example.com"
    comment = unsaved(factories.article(), user=staff, body_text=links)
    assert Moderator().status_for(comment) == Comment.Status.APPROVED


def test_comments_close_after_the_configured_days(settings):
    """An article older than the limit is closed; a younger one is open; 0 means never close."""
    settings.COMMENTS_CLOSE_AFTER_DAYS = 10
    old = factories.article(publish_at=timezone.now() - timedelta(days=11))
    young = factories.article(publish_at=timezone.now() - timedelta(days=9))
    assert "10 days" in Moderator().closed_reason(old)
    assert not Moderator().closed_reason(young)
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert not Moderator().closed_reason(old)


def test_comments_closed_when_switched_off_or_not_live():
    """allow_comments off, a draft or a scheduled article take no comments."""
    assert Moderator().closed_reason(factories.article(allow_comments=False))
    assert Moderator().closed_reason(factories.article(status=Article.Status.DRAFT))
    assert Moderator().closed_reason(factories.article(publish_at=timezone.now() + timedelta(days=1)))


def test_queryset_helpers():
    """approved() picks exactly the comments readers may see."""
    article = factories.article()
    live = cf.comment(article=article)
    held = cf.comment(article=article, status=Comment.Status.PENDING)
    cf.comment(article=article, status=Comment.Status.SPAM)
    cf.comment(article=article, status=Comment.Status.REMOVED)
    assert list(Comment.objects.approved()) == [live]
    assert held not in Comment.objects.approved()
