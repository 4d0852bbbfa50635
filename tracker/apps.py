"""The tracker app: its page-cache hooks and its link in the navigation, wired at start-up."""

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.navigation import register
        from tracker import invalidation, navigation

        register(navigation.links)
        invalidation.connect()
