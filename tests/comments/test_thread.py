import re

import pytest
from django.contrib.auth.models import AnonymousUser

from comments.models import Comment
from comments.selectors import comment_thread
from core.models import SiteSettings
from tests.support import factories
from tests.support import factories_comments as cf

pytestmark = pytest.mark.django_db


def shape(nodes):
    return [(node.comment.body_text, shape(node.replies)) for node in nodes]


def test_replies_nest_under_their_parent_in_order():
    """Top-level comments oldest first, each with its replies nested beneath."""
    article = factories.article()
    a = cf.comment(article=article, body_text="A")
    b = cf.comment(article=article, body_text="B")
    cf.comment(article=article, parent=a, body_text="A1")
    a2 = cf.comment(article=article, parent=a, body_text="A2")
    cf.comment(article=article, parent=a2, body_text="A2a")
    cf.comment(article=article, parent=b, body_text="B1")
    roots, nodes = comment_thread(article=article)
    assert shape(roots) == [
        ("A", [("A1", []), ("A2", [("A2a", [])])]),
        ("B", [("B1", [])]),
    ]
    assert len(nodes) == 6


def test_depth_is_capped(settings):
    """Replies deeper than the cap are shown at the deepest level, under the nearest shown ancestor."""
    settings.COMMENTS_MAX_DEPTH = 3
    article = factories.article()
    parent = None
    for name in ["L1", "L2", "L3", "L4", "L5"]:
        parent = cf.comment(article=article, parent=parent, body_text=name)
    roots, nodes = comment_thread(article=article)
    assert shape(roots) == [("L1", [("L2", [("L3", []), ("L4", []), ("L5", [])])])]
    assert max(node.depth for node in nodes.values()) == 3


def test_only_approved_comments_are_shown():
    """Pending, spam and removed comments, and other articles' comments, stay out of the thread."""
    article = factories.article()
    cf.comment(article=article, body_text="shown")
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED):
        cf.comment(article=article, status=status, body_text=status)
    cf.comment(body_text="elsewhere")
    roots, nodes = comment_thread(article=article)
    assert shape(roots) == [("shown", [])]


def test_reply_to_a_later_removed_comment_moves_to_the_top():
    """A live reply whose parent was removed afterwards is still shown, at the top level."""
    article = factories.article()
    parent = cf.comment(article=article, body_text="P")
    cf.comment(article=article, parent=parent, body_text="R")
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.REMOVED)
    roots, _ = comment_thread(article=article)
    assert shape(roots) == [("R", [])]


def test_commenter_record_counts_approved_comments_and_likes_site_wide():
    """Each node carries its author's approved comments and likes received across the site."""
    article = factories.article()
    cf.comment(author_email="reg@example.com", like_count=4)
    cf.comment(author_email="reg@example.com", like_count=9, status=Comment.Status.REMOVED)
    mine = cf.comment(article=article, author_email="reg@example.com", like_count=1)
    newcomer = cf.comment(article=article, author_email="new@example.com")
    _, nodes = comment_thread(article=article)
    assert (nodes[mine.pk].commenter_comments, nodes[mine.pk].commenter_likes) == (2, 5)
    assert nodes[mine.pk].is_regular
    assert not nodes[newcomer.pk].is_regular


def test_page_shows_count_names_dates_likes_and_links(client):
    """The article page shows the count, each comment's name (linked when given), body and likes."""
    article = factories.article()
    cf.comment(article=article, author_name="Ana", author_url="https://ana.example.com/", like_count=3)
    cf.comment(article=article, author_name="Bo")
    cf.comment(article=article, status=Comment.Status.PENDING)
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">2 comments<" in html
    assert '<a href="https://ana.example.com/" rel="nofollow ugc noopener">Ana</a>' in html
    assert "3 likes" in html and "0 likes" in html
    assert html.count('class="reply-link"') == 2
    # Crawlers need not fetch one copy of the page per comment just to see a reply form.
    assert html.count('#comment-form" rel="nofollow"') == 2
    assert "<time datetime=" in html


def test_regular_commenter_record_is_shown(client):
    """A commenter with several approved comments shows their record; a newcomer shows none."""
    article = factories.article()
    cf.comment(author_email="reg@example.com", like_count=2)
    cf.comment(article=article, author_email="reg@example.com", like_count=1)
    cf.comment(article=article, author_email="new@example.com")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "2 approved comments · 3 likes" in html
    assert html.count('class="comment__record"') == 1


def test_reply_link_opens_the_form_under_the_comment_without_javascript(client):
    """?replyto=<id> renders the form inside that comment, with the parent set."""
    article = factories.article()
    first = cf.comment(article=article, author_name="First")
    second = cf.comment(article=article, author_name="Second")
    html = client.get(article.get_absolute_url(), {"replyto": second.pk}).content.decode()
    assert html.count('id="comment-form"') == 1
    item = html[html.index(f'id="comment-{second.pk}"') :]
    assert item.index('id="comment-form"') < item.index("</li>")
    assert "Reply to Second" in html
    assert re.search(rf'name="parent" value="{second.pk}"', html)
    plain = client.get(article.get_absolute_url()).content.decode()
    assert plain.index('id="comment-form"') > plain.index(f'id="comment-{second.pk}"')
    assert not re.search(rf'name="parent" value="{first.pk}"', plain)


def test_reply_link_to_unknown_comment_falls_back_to_the_plain_form(client):
    """A stale or foreign replyto shows the ordinary form at the end."""
    article = factories.article()
    pending = cf.comment(article=article, status=Comment.Status.PENDING)
    for value in (pending.pk, 999999, "abc"):
        html = client.get(article.get_absolute_url(), {"replyto": value}).content.decode()
        assert html.count('id="comment-form"') == 1
        assert "Add a comment" in html


def test_comments_script_is_loaded_deferred_from_static(client):
    """The enhancement script is an external file loaded with defer: no inline script."""
    article = factories.article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<script src="/static/js/comments.js" defer></script>' in html
    assert "<script>" not in html


def build_thread(article, total):
    """`total` approved comments by several commenters, nested, with a moderator among them."""
    staff = factories.user()
    parents = [None]
    for n in range(total):
        parent = parents[n % len(parents)]
        if n % 7 == 6:
            fields = {"user": staff, "author_email": ""}
        else:
            fields = {"author_email": f"c{n % 5}@example.com"}
        comment = cf.comment(article=article, parent=parent, like_count=n % 3, **fields)
        parents.append(comment)


# The foundation's article page costs eight queries (article, authors, minerals, countries,
# citations, corrections, navigation, recent articles), one for "Most read" beside it and one for the
# tracker's "Measures in this story"; the comment section adds one, the approved thread with each
# commenter's record, whatever the number of comments.
ARTICLE_PAGE_QUERIES = 8 + 1 + 1 + 1


@pytest.mark.parametrize("total", [0, 1, 50])
def test_article_page_query_count_is_fixed(client, django_assert_num_queries, total):
    """The article page costs the same number of queries with 50 comments as with 1 or none."""
    article = factories.article(sources=[factories.source()], authors=[factories.author()])
    build_thread(article, total)
    SiteSettings.current()  # the site's logo and images, read once and then from the cache
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<li class="comment') == total
    assert f">{total} comment" in html
    if total == 50:
        assert "Moderator</span>" in html and 'class="comment__record"' in html


def test_discussion_for_anonymous_reader_in_template_tag(rf):
    """The template tag builds a fresh, unbound form for an anonymous reader."""
    from comments.templatetags.comment_tags import comment_discussion

    article = factories.article()
    request = rf.get(article.get_absolute_url())
    request.user = AnonymousUser()
    discussion = comment_discussion({"request": request}, article)
    assert discussion.is_open and discussion.count == 0
    assert not discussion.form.is_bound
    assert "author_email" in discussion.form.fields
