"""The importer app: WordPress exports moved into newsroom (see importer.wordpress)."""

from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = "Moving in from WordPress"
    default_auto_field = "django.db.models.BigAutoField"
