"""The one place that decides whether a comment goes live, waits for an editor, or cannot be made at all."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from comments.models import Comment


class Moderator:
    """Moderation rules, configured by attributes; the defaults come from settings.

    Subclass or pass keyword arguments to change a rule without touching the flow
    that calls it.
    """

    max_links = None
    blocklist = None
    close_after_days = None

    def __init__(self, **overrides):
        for name in ("max_links", "blocklist", "close_after_days"):
            value = overrides.get(name, getattr(self, name))
            if value is None:
                value = getattr(settings, f"COMMENTS_{name.upper()}")
            setattr(self, name, value)
        # A phrase matches across any run of whitespace, so "cheap  pills" or a line break between
        # its words does not slip past; entries may start or end with punctuation ("$$$", "c1alis!").
        words = [r"\s+".join(map(re.escape, entry.split())) for entry in self.blocklist if entry.strip()]
        pattern = r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)"
        self._blocked = re.compile(pattern, re.IGNORECASE) if words else None

    def closes_at(self, article):
        if not self.close_after_days:
            return None
        return article.publish_at + timedelta(days=self.close_after_days)

    def closed_reason(self, article):
        """Why readers cannot comment on `article` now, or "" when they can."""
        if not article.is_live:
            return "Comments open once the article is published."
        if not article.allow_comments:
            return "Comments are switched off for this article."
        closes_at = self.closes_at(article)
        if closes_at is not None and timezone.now() >= closes_at:
            return f"Comments closed {self.close_after_days} days after publication."
        return ""

    def is_blocked(self, *texts):
        return self._blocked is not None and any(self._blocked.search(text or "") for text in texts)

    def status_for(self, comment, *, earlier_ids=()):
        """The status a new, unsaved comment starts with; `earlier_ids` are the comments its browser
        proves it posted (comments.commenters)."""
        if comment.is_moderator:
            return Comment.Status.APPROVED
        if comment.link_count > self.max_links:
            return Comment.Status.PENDING
        if self.is_blocked(comment.body_text, comment.author_name, comment.author_url):
            return Comment.Status.PENDING
        email = comment.author_email
        # Only readers' own approved comments earn trust (a staff reply's address, often the desk's
        # public one, must not let anyone who types it skip moderation), and only for the browser
        # that posted one of them: an address alone proves nothing.
        approved = Comment.objects.approved().filter(
            author_email=email, user__isnull=True, pk__in=earlier_ids
        )
        if email and earlier_ids and approved.exists():
            return Comment.Status.APPROVED
        return Comment.Status.PENDING
