"""PostgreSQL's side of the search index: one GIN index answers every tier and filter, whatever the
statistics."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import SearchEntry
from articles.search import backends as search_backends
from articles.search import parse_query, time_limit
from articles.search.index import recency
from tests.support import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def plan(text, facets=()):
    expressions = search_backends.tier_expressions(
        "postgresql", parse_query(text).index_sides(), list(facets)
    )
    sql, params = search_backends.ranked_sql("postgresql", expressions)
    with time_limit(), connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN " + sql, params(-(1 << 62), recency(timezone.now() + timedelta(seconds=1)), 1001)
        )
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    "text", ["lithium", '"export ban"', "lithium -Chile", "lithium OR nickel", '"rare earths of China"']
)
def test_every_tier_is_a_bitmap_scan_of_the_gin_index(text):
    """Words, phrases, exclusions and OR all read the GIN index; no plan scans the table or walks the
    vectors."""
    factories.article(title="Lithium export ban", body="<p>Rare earths of China.</p>")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_searchentry")
    shown = plan(text, ["all"])
    assert shown.count(f"Bitmap Index Scan on {search_backends.GIN_INDEX}") >= 1
    assert "Seq Scan" not in shown and "Index Scan using" not in shown


def test_entries_keep_their_vectors_out_of_line():
    """The entry table is created to move vectors out of its rows, so matching reads few pages."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [search_backends.ENTRY_TABLE])
        (options,) = cursor.fetchone()
    assert "toast_tuple_target=128" in options


def test_vectors_hold_prefixed_terms_for_the_tiers_and_facets():
    """A title word is stored plain, as a title term and as a headline term; facets are their own lexemes."""
    article = factories.article(title="Gallium curbs", dek="", body="<p>Gallium export ban.</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_to_string(tsvector_to_array(vector), ' ') "
            "FROM articles_searchentry WHERE article_id = %s",
            [article.pk],
        )
        (lexemes,) = cursor.fetchone()
    lexemes = set(lexemes.split())
    assert {
        "gallium",
        "title:gallium",
        "head:gallium",
        "export_ban",
        "#all",
        f"#section{article.section_id}",
    } <= lexemes
    assert "title:export_ban" not in lexemes
    assert SearchEntry.objects.get(pk=article.pk).body == ""  # SQLite's columns stay empty here
