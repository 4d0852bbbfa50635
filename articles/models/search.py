"""The search index's tables as models: one entry per published article, and the subjects that
published articles are about (the facets search offers). Written only by articles.search.index."""

from datetime import timedelta

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from articles.models.article import Article
from articles.recency import recency


class SearchEntry(models.Model):
    """A published article as the search index holds it (maintained by articles.search.index).

    `recency` orders entries newest first (publish time in seconds, then id) and is the
    rowid of SQLite's FTS5 index. SQLite's index reads the analysed terms of each field
    from here; PostgreSQL keeps them all in `vector` instead and leaves those fields empty.
    """

    # No database constraint: an entry outlives its article until the index hears of the
    # delete (articles.search.index.index_articles), so that it can retire its facets.
    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    recency = models.BigIntegerField(unique=True)
    title = models.TextField(blank=True)
    dek = models.TextField(blank=True)
    subjects = models.TextField(blank=True)
    body = models.TextField(blank=True)
    facets = models.TextField(blank=True, help_text="The subjects filters narrow by, as index terms.")
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name_plural = "search entries"


class SearchFacetQuerySet(models.QuerySet):
    def live(self, model):
        """Ids of the subjects of this model with a live article (a subquery)."""
        due = recency(timezone.now() + timedelta(seconds=1))
        return self.filter(kind=model._meta.model_name, earliest__lt=due).values("subject_id")


class SearchFacet(models.Model):
    """A subject that published articles are about, with the recency of the earliest.

    Once that time has passed the subject has a live article, and search offers it as a
    filter: one small lookup per request, whatever the size of the archive.
    """

    kind = models.CharField(max_length=20)  # the subject's model name: section, mineral, ...
    subject_id = models.PositiveBigIntegerField()
    earliest = models.BigIntegerField()

    objects = SearchFacetQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id"], name="search_facet_unique_subject")
        ]
