"""The core app: site-wide pieces every app may use; it imports no app."""

import gc

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces every app may use; core imports no other app of newsroom."""

    name = "core"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.urls import register_converter

        from core import checks  # noqa: F401  (registers the deploy checks)
        from core.slugs import SlugConverter

        # `<anyslug:slug>` in URL patterns: a slug in any script (core.slugs).
        register_converter(SlugConverter, "anyslug")

        # Every model and module is loaded by now and lives as long as the process: leave them out of
        # the garbage collector's full passes, which otherwise walk them all (50-70 ms at a time, about
        # once every hundred page renders: the slowest request in a hundred).
        gc.freeze()
