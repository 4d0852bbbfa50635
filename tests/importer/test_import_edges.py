"""What a real archive throws up: a blog under a sub-path, slugs in another script, password-protected
posts, terms of other taxonomies, repeated comments, and comments on posts that are not imported."""

import pytest

from articles.models import Article
from comments.models import Comment

from .conftest import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(db):
    return run_import(export="edges.xml")


def test_slug_in_another_script_and_its_old_address(client, report):
    """A percent-encoded Han slug is stored in its own script, and its old address under /blog redirects."""
    article = Article.objects.get(slug="中国稀土")
    assert article.publish_at.isoformat() == "2019-05-01T02:00:00+00:00"
    response = client.get("/blog/%E4%B8%AD%E5%9B%BD%E7%A8%80%E5%9C%9F/")
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get("/blog/?p=7")["Location"] == article.get_absolute_url()


def test_password_protected_post_becomes_a_draft(client, report):
    """A post readers needed a password for is not published here until an editor says so."""
    article = Article.objects.get(slug="members-only-price-outlook")
    assert article.status == Article.Status.DRAFT
    assert "password-protected on WordPress: imported as a draft" in report
    assert client.get("/blog/?p=8").status_code == 404  # no redirect to an article that is not live


def test_other_taxonomies_are_listed_and_post_formats_ignored(report):
    """A term of a taxonomy newsroom has no place for is listed, not dropped silently."""
    assert "series “Export rules” on 1 post" in report
    assert "Aside" not in report


def test_repeated_comment_is_kept_once_and_its_reply_threads_under_it(report):
    """The same words twice from one address are one comment; a reply to the second answers the first."""
    thanks = Comment.objects.get(author_name="Wei")
    assert Comment.objects.get(author_name="Ana").parent == thanks
    assert "repeating an earlier comment's words 1" in report


def test_comments_on_skipped_posts_are_counted(report):
    """A private post's comments are not imported, and the report says how many."""
    assert not Comment.objects.filter(author_name="Staff").exists()
    assert "on skipped posts 1" in report
