"""The articles app's start-up: connects its receivers, navigation, page-cache invalidation and photos."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles import invalidation, navigation, photos, signals
        from core.navigation import register

        register(navigation.links)
        signals.connect()
        invalidation.connect()
        photos.connect()
