"""Comments and likes: what readers post on articles and how it is moderated."""

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse

from articles.models import Article
from core.clients import is_staff
from core.sanitizer import clean_comment_text


def body_digest(text):
    """What makes two comments "the same words": whitespace and case do not count."""
    normalised = " ".join((text or "").split()).casefold()
    return hashlib.sha256(normalised.encode()).hexdigest()


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of a comment readers may see."""
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one answers.",
    )
    author_name = models.CharField(max_length=80, verbose_name="name")
    author_email = models.EmailField(blank=True, verbose_name="email", help_text="Never shown on the site.")
    author_url = models.URLField(blank=True, max_length=300, verbose_name="website")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text="Set when a member of staff wrote it from the public page.",
    )
    body_text = models.TextField(verbose_name="text", help_text="What the reader typed, as plain text.")
    body = models.TextField(editable=False, help_text="The text as shown: escaped, paragraphs and links.")
    body_hash = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name="IP address")
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status_idx"),
            models.Index(fields=["author_email", "status"], name="comment_email_status_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
        ]
        constraints = [
            # A double-click or a replayed POST must never store the same words twice,
            # even when two requests race past the form's own check.
            models.UniqueConstraint(
                fields=["article", "author_email", "body_hash"], name="comment_unique_body_per_email"
            ),
        ]

    def __str__(self):
        return f"{self.author_name} on {self.article}"

    def save(self, *args, **kwargs):
        self.body = clean_comment_text(self.body_text)
        self.body_hash = body_digest(self.body_text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body_text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body", "body_hash"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def get_like_url(self):
        return reverse("comments:like", kwargs={"pk": self.pk})

    @property
    def is_moderator(self):
        return self.user_id is not None and is_staff(self.user)

    @property
    def link_count(self):
        # Counted on the sanitised form, so a link is whatever the sanitiser would make clickable.
        return clean_comment_text(self.body_text).count("<a ")


class CommentLike(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    voter = models.CharField(
        max_length=32, help_text="A keyed hash of the reader's cookie and address, never the address itself."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "voter"], name="commentlike_one_per_voter")]

    def __str__(self):
        return f"Like on comment {self.comment_id}"
