"""Reads for the article page: the approved thread and each commenter's record.

Both come in a fixed number of queries, however many comments an article has.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article
from comments.models import Comment


@dataclass
class CommentNode:
    comment: Comment
    depth: int
    replies: list = field(default_factory=list)
    commenter_comments: int = 0
    commenter_likes: int = 0
    closes: range = range(0)  # reply lists that end after this comment (see thread_rows)

    @property
    def id(self):
        """The comment's id as text, for the page's anchors (no number formatting per use)."""
        return str(self.comment.pk)

    @property
    def is_regular(self):
        return not self.comment.is_moderator and self.commenter_comments >= settings.COMMENTS_REGULAR_MIN


def with_commenter_records(comments):
    """Annotate each comment with its author's approved comments and likes received, site-wide.

    Correlated subqueries keep this inside the thread's own query: one query for the whole
    section, whether the article has no comments or hundreds.
    """
    same_author = (
        Comment.objects.approved()
        .filter(author_email=OuterRef("author_email"))
        .exclude(author_email="")
        .order_by()
        .values("author_email")
    )
    return comments.annotate(
        commenter_comments=Coalesce(Subquery(same_author.annotate(n=Count("pk")).values("n")), 0),
        commenter_likes=Coalesce(Subquery(same_author.annotate(n=Sum("like_count")).values("n")), 0),
    )


def comment_thread(*, article, max_depth=None):
    """The approved comments on `article` as a list of top-level nodes with nested replies.

    Replies deeper than `max_depth` are shown at the deepest level, under their nearest
    shown ancestor; a reply whose parent is no longer approved is shown at the top.
    Returns (roots, nodes by comment id).
    """
    max_depth = max_depth or settings.COMMENTS_MAX_DEPTH
    comments = with_commenter_records(
        Comment.objects.approved().filter(article=article).select_related("user")
    )

    nodes = {}
    roots = []
    for comment in comments:  # oldest first, so a parent is always placed before its replies
        parent = nodes.get(comment.parent_id)
        while parent is not None and parent.depth >= max_depth:
            parent = nodes.get(parent.comment.parent_id)
        node = CommentNode(
            comment=comment,
            depth=parent.depth + 1 if parent else 1,
            commenter_comments=comment.commenter_comments,
            commenter_likes=comment.commenter_likes,
        )
        (parent.replies if parent else roots).append(node)
        nodes[comment.pk] = node
    return roots, nodes


def thread_rows(roots):
    """The thread in reading order, for rendering in one loop: each node's `closes` says how many
    reply lists (each inside its parent's list item) end right after it."""
    rows = []

    def walk(nodes):
        for node in nodes:
            rows.append(node)
            if node.replies:
                walk(node.replies)
                last = rows[-1]
                last.closes = range(len(last.closes) + 1)

    walk(roots)
    return rows


def most_discussed(*, days, limit):
    """The live articles with the most comments approved in the last `days` days, most first: one query."""
    since = timezone.now() - timedelta(days=days)
    return list(
        Article.objects.published()
        .filter(comments__status=Comment.Status.APPROVED, comments__created_at__gte=since)
        .annotate(discussion=Count("comments"))
        .select_related("section")
        .order_by("-discussion", "-publish_at")[:limit]
    )
