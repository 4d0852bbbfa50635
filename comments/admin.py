"""Comments in the admin: the moderation list, its filters and bulk actions."""

from django.contrib import admin, messages
from django.db import models
from django.utils.text import Truncator

from comments.models import Comment
from comments.services import comments_moderate


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: newest first, pending on top when filtered."""

    list_display = ["excerpt", "author_name", "article", "in_reply_to", "status", "created_at", "like_count"]
    list_display_links = ["excerpt"]
    list_filter = ["status", ("article", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["author_name", "author_email", "ip_address", "body_text"]
    list_select_related = ["article", "parent"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["approve", "mark_spam", "remove"]
    fields = [
        "article",
        "parent",
        "status",
        "author_name",
        "author_email",
        "author_url",
        "user",
        "body_text",
        "ip_address",
        "user_agent",
        "created_at",
        "like_count",
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["article", "parent", "user", "ip_address", "user_agent", "created_at", "like_count"]

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.body_text).chars(80)

    @admin.display(description="in reply to", ordering="parent__created_at")
    def in_reply_to(self, obj):
        if obj.parent is None:
            return "—"
        return f"{obj.parent.author_name}: {Truncator(obj.parent.body_text).chars(50)}"

    def has_add_permission(self, request):
        # Comments come from readers on the public site, never typed in here.
        return False

    def _moderate(self, request, queryset, status, verb):
        changed = comments_moderate(comments=queryset, status=status)
        noun = "comment" if changed == 1 else "comments"
        self.message_user(request, f"{changed} {noun} {verb}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED, "approved")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM, "marked as spam")

    @admin.action(description="Remove selected comments", permissions=["change"])
    def remove(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REMOVED, "removed")
