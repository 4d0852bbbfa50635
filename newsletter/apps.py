"""The newsletter app's start-up: connects page-cache invalidation for the archive."""

from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from newsletter import invalidation

        invalidation.connect()
