"""Reads for the article page: the approved thread and each commenter's record.

Both come in a fixed number of queries, however many comments an article has.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Sum

from comments.models import Comment


@dataclass
class CommentNode:
    comment: Comment
    depth: int
    replies: list = field(default_factory=list)
    commenter_comments: int = 0
    commenter_likes: int = 0

    @property
    def is_regular(self):
        return not self.comment.is_moderator and self.commenter_comments >= settings.COMMENTS_REGULAR_MIN


def commenter_records(emails):
    """Approved comments and likes received, per email, across the whole site, in one query."""
    if not emails:
        return {}
    rows = (
        Comment.objects.approved()
        .filter(author_email__in=emails)
        .order_by()
        .values("author_email")
        .annotate(comments=Count("id"), likes=Sum("like_count"))
    )
    return {row["author_email"]: (row["comments"], row["likes"] or 0) for row in rows}


def comment_thread(*, article, max_depth=None):
    """The approved comments on `article` as a list of top-level nodes with nested replies.

    Replies deeper than `max_depth` are shown at the deepest level, under their nearest
    shown ancestor; a reply whose parent is no longer approved is shown at the top.
    Returns (roots, nodes by comment id).
    """
    max_depth = max_depth or settings.COMMENTS_MAX_DEPTH
    comments = list(Comment.objects.approved().filter(article=article).select_related("user"))
    records = commenter_records({comment.author_email for comment in comments if comment.author_email})

    nodes = {}
    roots = []
    for comment in comments:  # oldest first, so a parent is always placed before its replies
        parent = nodes.get(comment.parent_id)
        while parent is not None and parent.depth >= max_depth:
            parent = nodes.get(parent.comment.parent_id)
        node = CommentNode(comment=comment, depth=parent.depth + 1 if parent else 1)
        node.commenter_comments, node.commenter_likes = records.get(comment.author_email, (0, 0))
        (parent.replies if parent else roots).append(node)
        nodes[comment.pk] = node
    return roots, nodes
