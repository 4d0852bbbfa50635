from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles import invalidation, navigation, photos, signals  # noqa: F401  (importing signals connects its receivers)
        from core.navigation import register

        register(navigation.links)
        invalidation.connect()
        photos.connect()
