"""
Keeps Article.search_vector current on PostgreSQL.

The vector is a column of the article row, so it is refreshed in the same transaction as
the change that made it stale: readers never see an article the index has not caught up
with, and a rolled-back edit leaves no trace. Mineral names, symbols and aliases go into
the vector too, so a search for "Nd" finds the articles tagged neodymium. On SQLite
nothing is stored; articles.search matches words directly there.
"""

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat, Replace

# Fields whose change makes an article's vector stale.
INDEXED_FIELDS = frozenset({"title", "dek", "body"})


def search_config():
    return settings.SEARCH_CONFIG


def is_supported(using="default"):
    return connections[using].vendor == "postgresql"


def mineral_terms():
    """Every name a reader may search for the article's minerals by, as one string (a subquery)."""
    from articles.models import TaggedMineral

    terms = (
        TaggedMineral.objects.filter(content_object=OuterRef("pk"))
        .annotate(
            terms=Concat(
                F("tag__name"), Value(" "), F("tag__symbol"), Value(" "),
                Replace(F("tag__aliases"), Value(","), Value(" ")),
                output_field=TextField(),
            )
        )
        .values("content_object")
        .annotate(all_terms=StringAgg("terms", delimiter=" ", output_field=TextField()))
        .values("all_terms")
    )
    return Coalesce(Subquery(terms), Value(""), output_field=TextField())


def search_vector_expression():
    """Title above dek and mineral names above body, as the ranking should weigh them."""
    config = search_config()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("dek", weight="B", config=config)
        + SearchVector(mineral_terms(), weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def refresh_search_vectors(articles):
    """Recompute the vector of every article in the queryset with one UPDATE; returns the row count."""
    if not is_supported(articles.db):
        return 0
    return articles.update(search_vector=search_vector_expression())
