from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article
from articles.search_index import is_supported, refresh_search_vectors


class Command(BaseCommand):
    help = (
        "Recompute every article's full-text search vector (PostgreSQL). Needed after bulk imports "
        "that bypass Article.save, or after changing SEARCH_CONFIG."
    )

    def handle(self, *args, **options):
        if not is_supported():
            raise CommandError(
                f"Full-text search needs PostgreSQL; this database is {connection.vendor}, "
                "where newsroom matches words directly and keeps no index."
            )
        count = refresh_search_vectors(Article.objects.all())
        noun = "article" if count == 1 else "articles"
        self.stdout.write(f"Refreshed the search vectors of {count:,} {noun}.")
