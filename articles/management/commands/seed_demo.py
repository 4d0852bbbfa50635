"""`manage.py seed_demo`: load the demo newsroom (articles/demo/) so a fresh site has something to read.

Safe to run again: the loader looks every row up by its natural key and leaves what exists as it is.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load demo sections, minerals, countries, authors, sources, disclaimers, staff users and "
        "articles. Anything that already exists (by slug) is left untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off, for a staging or demonstration site.",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo loads invented articles; run it with DJANGO_DEBUG=1, "
                "or pass --force to load them on a demonstration site."
            )
        loader = DemoLoader(now=timezone.now())
        try:
            with transaction.atomic():
                loader.load()
        except (DatabaseError, ObjectDoesNotExist, OSError, ValueError, KeyError) as error:
            loader.discard_files()
            hint = " Have the migrations run (manage.py migrate)?" if isinstance(error, DatabaseError) else ""
            raise CommandError(
                f"Demo content not loaded; nothing was saved. {type(error).__name__}: {error}.{hint}"
            ) from error
        self.stdout.write(loader.summary())
