"""Comment workflows: posting, liking and moderating. Views and the admin call these, nothing else writes."""

import ipaddress

from django.db import IntegrityError, transaction
from django.db.models import F

from comments.invalidation import pages_showing
from comments.models import Comment, CommentLike, body_digest
from comments.moderation import Moderator
from core import page_cache
from core.staff import has_staff_powers


class DuplicateComment(Exception):
    """The same words were already posted on this article from the same email or address."""


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def comment_create(
    *, article, data, ip, user_agent, user=None, spam_reason="", moderator=None, earlier_ids=()
):
    """Store a comment from cleaned form `data` with the status moderation gives it; `earlier_ids` are
    the comments the poster's browser proves it posted (comments.commenters).

    A `spam_reason` (from the security form) stores it as spam, for an editor to rescue
    if a person was caught. Raises DuplicateComment rather than storing the same words twice.
    """
    moderator = moderator or Moderator()
    staff = user if has_staff_powers(user) else None
    comment = Comment(
        article=article,
        parent=data.get("parent"),
        author_name=data["author_name"],
        author_email=data.get("author_email", ""),
        author_url=data.get("author_url", ""),
        user=staff,
        body_text=data["body_text"],
        ip_address=_valid_ip(ip),
        user_agent=(user_agent or "")[:300],
    )
    comment.status = (
        Comment.Status.SPAM if spam_reason else moderator.status_for(comment, earlier_ids=earlier_ids)
    )

    same_words = Comment.objects.filter(article=article, body_hash=body_digest(comment.body_text))
    if (comment.author_email and same_words.filter(author_email=comment.author_email).exists()) or (
        comment.ip_address and same_words.filter(ip_address=comment.ip_address).exists()
    ):
        raise DuplicateComment
    try:
        # The unique constraint settles races the check above cannot see.
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        raise DuplicateComment from None
    return comment


def comment_like(*, comment, voter):
    """Record one like per voter; returns (like count, whether this call added one)."""
    try:
        with transaction.atomic():
            CommentLike.objects.create(comment=comment, voter=voter)
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    except IntegrityError:
        added = False
    else:
        added = True
    comment.refresh_from_db(fields=["like_count"])
    return comment.like_count, added


def comments_moderate(*, comments, status):
    """Give every comment in `comments` the moderation `status`; returns how many changed."""
    if status not in Comment.Status.values:
        raise ValueError(f"Unknown comment status: {status!r}")
    changing = comments.exclude(status=status)
    with transaction.atomic():
        # Read before the update: a removed comment's commenter record changes where it was shown.
        pages = pages_showing(changing.values_list("article_id", "author_email"))
        changed = changing.update(status=status)
        page_cache.invalidate(*pages)
    return changed
