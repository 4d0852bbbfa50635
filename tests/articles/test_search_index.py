"""The search index follows every write: edits, publishing, tags, bylines, citations, renames and deletes
(both databases)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.forms import SearchForm
from articles.models import Article, Citation, SearchEntry, SearchFacet
from articles.search import search_articles
from articles.search.index import index_articles, rebuild_index
from tests.support import factories

pytestmark = pytest.mark.django_db


def found(text, **filters):
    return list(search_articles(text=text, **filters))


def test_edits_reach_the_index():
    """Saving new words makes them searchable and the old ones stop matching."""
    article = factories.article(title="Plain title")
    assert found("scandium") == []
    article.title = "Scandium alloy deal"
    article.save()
    assert found("scandium") == [article]
    assert found("plain") == []


def test_unpublishing_and_publishing_by_bulk_status_change():
    """The editors' bulk actions (status saves limited to a few fields) take articles out of search and
    back."""
    editor = factories.user(group="Editors")
    article = factories.article(title="Yttrium outlook")
    services.articles_set_status(
        user=editor, articles=Article.objects.filter(pk=article.pk), status=Article.Status.DRAFT
    )
    assert found("yttrium") == []
    services.articles_set_status(
        user=editor, articles=Article.objects.filter(pk=article.pk), status=Article.Status.PUBLISHED
    )
    assert found("yttrium") == [Article.objects.get(pk=article.pk)]


def test_scheduled_articles_appear_when_due_without_a_write():
    """A scheduled article is indexed already and found once its time has come, with no further save."""
    article = factories.article(title="Hafnium auction", publish_at=timezone.now() + timedelta(seconds=3))
    assert found("hafnium") == []
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    # The entry still holds the scheduled time; the page never shows what is not due.
    assert found("hafnium") == []
    index_articles([article.pk])
    assert found("hafnium") == [article]


def test_saves_of_unsearched_fields_leave_the_index_alone():
    """A save limited to fields search does not hold (the featured flag) writes nothing to the index."""
    article = factories.article(title="Tellurium")
    article.is_featured = True
    with CaptureQueriesContext(connection) as queries:
        article.save(update_fields=["is_featured"])
    # The page cache works out which pages show the article (reads); the index is not touched.
    search_tables = (SearchEntry._meta.db_table, SearchFacet._meta.db_table)
    assert queries.captured_queries
    assert not [query for query in queries.captured_queries if any(t in query["sql"] for t in search_tables)]


def test_tags_bylines_and_citations_are_searchable_as_they_change():
    """Adding or removing a mineral, country, author or cited source updates what finds the article."""
    article = factories.article(title="Quiet week")
    mineral = factories.mineral(name="Dysprosium", slug="dysprosium", symbol="Dy")
    country = factories.country(name="Greenland", slug="greenland")
    author = factories.author(name="Ingrid Olsen")
    source = factories.source(name="Arctic Today")
    article.minerals.add(mineral)
    article.countries.add(country)
    article.authors.add(author)
    citation = Citation.objects.create(article=article, source=source, url="https://example.org/a")
    for text in ("Dy", "dysprosium", "Greenland", "Olsen", '"Arctic Today"'):
        assert found(text) == [article], text
    article.minerals.remove(mineral)
    article.countries.clear()
    author.articles.remove(article)  # from the author's side
    citation.delete()
    for text in ("Dy", "Greenland", "Olsen", "arctic"):
        assert found(text) == [], text


def test_subject_renames_reach_their_articles():
    """Renaming a section, country, author or source, or a mineral's alias, finds its articles by the new
    name."""
    section = factories.section(name="Markets")
    country = factories.country(name="Burma")
    author = factories.author(name="Sam Reed")
    source = factories.source(name="Old Wire")
    mineral = factories.mineral(name="Holmium", slug="holmium", symbol="Ho")
    article = factories.article(
        title="Quiet week",
        section=section,
        countries=[country],
        authors=[author],
        sources=[source],
        minerals=[mineral],
    )
    for subject, field, value, text in [
        (section, "name", "Trade", "trade"),
        (country, "name", "Myanmar", "Myanmar"),
        (author, "name", "Samira Reed", "samira"),
        (source, "name", "New Wire", '"new wire"'),
        (mineral, "aliases", "heavy rare earth", '"heavy rare earth"'),
    ]:
        setattr(subject, field, value)
        subject.save()
        assert found(text) == [article], text
    assert found("Burma") == [] and found("markets") == []


def test_deleting_subjects_and_articles_empties_their_entries():
    """Deleting a mineral drops its names from its articles; deleting an article drops its entry."""
    mineral = factories.mineral(name="Thulium", slug="thulium", symbol="Tm")
    author = factories.author(name="Pia Holm")
    article = factories.article(title="Quiet week", minerals=[mineral], authors=[author])
    mineral.delete()
    author.delete()
    assert found("thulium") == [] and found("Holm") == []
    assert found("quiet") == [article]
    article.delete()
    assert not SearchEntry.objects.exists()
    assert found("quiet") == []


def test_a_rolled_back_edit_leaves_no_trace():
    """The index is written in the editor's transaction: a failed save leaves it as it was."""
    article = factories.article(title="Cerium glut")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Lanthanum glut"
        article.save()
        raise RuntimeError("the save failed after the index was written")
    assert found("lanthanum") == [] and found("cerium") == [article]


def test_rebuild_matches_what_the_write_path_built():
    """Rebuilding from scratch gives the same entries and filter lists as indexing article by article."""
    mineral = factories.mineral(name="Erbium", slug="erbium")
    country = factories.country(name="Peru", slug="peru")
    for n in range(3):
        factories.article(
            title=f"Erbium note {n}",
            minerals=[mineral],
            countries=[country],
            publish_at=timezone.now() - timedelta(days=n + 1),
        )
    factories.article(title="Draft", status=Article.Status.DRAFT, minerals=[mineral])

    def snapshot():
        entries = sorted(SearchEntry.objects.values_list("article_id", "recency", "facets", "title", "body"))
        return entries, sorted(SearchFacet.objects.values_list("kind", "subject_id", "earliest"))

    before = snapshot()
    assert rebuild_index() == 3
    assert snapshot() == before


def test_filter_choices_follow_publishing(client):
    """A mineral is offered as a filter once it has a live article, and withdrawn when it has none."""
    editor = factories.user(group="Editors")
    mineral = factories.mineral(name="Scandium", slug="scandium")
    article = factories.article(title="Scandium deal", status=Article.Status.DRAFT, minerals=[mineral])
    assert "scandium" not in SearchForm().fields["mineral"].queryset.values_list("slug", flat=True)
    services.articles_set_status(
        user=editor, articles=Article.objects.filter(pk=article.pk), status=Article.Status.PUBLISHED
    )
    assert list(SearchForm().fields["mineral"].queryset.values_list("slug", flat=True)) == ["scandium"]
    html = client.get(reverse("articles:search")).content.decode()
    assert 'value="scandium"' in html
    Article.objects.get(pk=article.pk).delete()
    assert not SearchForm().fields["mineral"].queryset.exists()


def test_earliest_article_moves_the_filter_mark_both_ways():
    """Rescheduling the earliest article into the future withdraws its mineral until another live one
    exists."""
    mineral = factories.mineral(name="Lutetium", slug="lutetium")
    first = factories.article(
        title="First", minerals=[mineral], publish_at=timezone.now() - timedelta(days=2)
    )
    later = factories.article(
        title="Later", minerals=[mineral], publish_at=timezone.now() + timedelta(days=2)
    )
    form_minerals = lambda: list(SearchForm().fields["mineral"].queryset)  # noqa: E731
    assert form_minerals() == [mineral]
    first.publish_at = timezone.now() + timedelta(days=5)
    first.save()
    assert form_minerals() == []
    later.publish_at = timezone.now() - timedelta(hours=1)
    later.save()
    assert form_minerals() == [mineral]


def test_articles_published_in_the_same_second_each_keep_an_entry():
    """Entries are ordered by publish second then id; articles sharing a second never collide."""
    moment = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    articles = [factories.article(title=f"Same second {n}", publish_at=moment) for n in range(3)]
    assert found("second") == articles[::-1]
    assert SearchEntry.objects.count() == 3 and connection.vendor in {"sqlite", "postgresql"}
