"""The comments app's start-up: connects page-cache invalidation for comments."""

from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from comments import invalidation

        invalidation.connect()
