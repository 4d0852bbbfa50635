"""Comment changes made in a batch (a bulk import) drop the same pages as one by one, each page once."""

import pytest

from comments import invalidation
from core import page_cache
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def dropped(monkeypatch):
    """Every call to page_cache.invalidate, as the set of tags it was given."""
    calls = []
    monkeypatch.setattr(page_cache, "invalidate", lambda *tags: calls.append(set(tags)))
    return calls


def test_batch_drops_each_page_once_at_its_end(dropped):
    """Three comments by one regular on two articles: one call at the end, both pages in it."""
    first, second = factories.article(), factories.article()
    dropped.clear()  # what saving the articles dropped
    with invalidation.batched():
        cf.comment(article=first, author_email="regular@example.net", body_text="One.")
        cf.comment(article=second, author_email="regular@example.net", body_text="Two.")
        cf.comment(article=second, author_email="regular@example.net", body_text="Three.")
        assert dropped == []
    assert dropped == [{invalidation.article_tag(first), invalidation.article_tag(second)}]


def test_one_by_one_drops_the_same_pages(dropped):
    """Outside a batch each change drops its pages at once, and together they are the batch's pages."""
    first, second = factories.article(), factories.article()
    dropped.clear()
    cf.comment(article=first, author_email="regular@example.net", body_text="One.")
    cf.comment(article=second, author_email="regular@example.net", body_text="Two.")
    assert len(dropped) == 2
    assert set().union(*dropped) == {invalidation.article_tag(first), invalidation.article_tag(second)}


def test_held_comments_drop_nothing_in_a_batch(dropped):
    """A comment held for moderation shows nowhere, batched or not."""
    article = factories.article()
    dropped.clear()
    with invalidation.batched():
        cf.comment(article=article, status="pending")
    assert dropped == []
