"""`manage.py rebuild_search_index`: index every published article afresh."""

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from articles.search.index import rebuild_index


class Command(BaseCommand):
    help = (
        "Index every published article for search afresh (SQLite's FTS5 table or PostgreSQL's GIN-indexed "
        "vectors) and the filter lists with them. Needed after bulk imports that bypass the index, "
        "such as QuerySet.update() or raw SQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to rebuild the index of."
        )

    def handle(self, *args, database, verbosity, **options):
        began = time.perf_counter()

        def progress(done, total):
            if verbosity > 1:
                self.stderr.write(f"\r  {done:,} / {total:,} articles", ending="")

        count = rebuild_index(using=database, progress=progress)
        if verbosity > 1:
            self.stderr.write("")
        noun = "article" if count == 1 else "articles"
        vendor = connections[database].vendor
        seconds = time.perf_counter() - began
        self.stdout.write(f"Indexed {count:,} published {noun} for search on {vendor} in {seconds:.1f} s.")
