"""Search's bounds: counts capped by one rule, a time limit answered with a message, common words
explained."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.search import SearchTimeout, search_articles, time_limit
from articles.search import query as search
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_counts_past_the_cap_say_more_than(client, monkeypatch):
    """Past the cap the page says "more than N results" and lists the first N, best first."""
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for n in range(5):
        factories.article(title=f"Iridium note {n}")
    results = search_articles(text="iridium")
    assert results.count() == 3 and results.more_than_cap
    response = client.get(reverse("articles:search"), {"q": "iridium"})
    assert "More than 3 results for “iridium”" in response.content.decode()
    assert len(response.context["articles"]) == 3


def test_counts_at_the_cap_are_exact(client, monkeypatch):
    """A count that reaches the cap exactly is still shown as it is."""
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    for n in range(3):
        factories.article(title=f"Osmium note {n}")
    html = client.get(reverse("articles:search"), {"q": "osmium"}).content.decode()
    assert "3 results for “osmium”" in html and "More than" not in html


def test_a_search_past_its_time_limit_is_answered_with_a_message(client, settings, monkeypatch):
    """A search stopped by the time limit shows the form and a clear message, not an error page."""
    factories.article(title="Rhodium squeeze")
    settings.SEARCH_TIMEOUT_MS = 1
    ranked_sql = search.search_backends.ranked_sql
    # Nothing in a small test archive takes a millisecond: make the search's statement wait.
    never_ending = (
        "pg_sleep(1), "
        if connection.vendor == "postgresql"
        else "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        "SELECT max(i) FROM n) AS slow, "
    )

    def slow(vendor, expressions):
        sql, params = ranked_sql(vendor, expressions)
        head, tail = sql.split(" FROM ", 1)
        return f"{head} FROM {never_ending}{tail}", params

    monkeypatch.setattr(search.search_backends, "ranked_sql", slow)
    response = client.get(reverse("articles:search"), {"q": "rhodium"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This search took too long" in html and 'value="rhodium"' in html
    assert "Rhodium squeeze" not in html


def test_time_limit_stops_a_long_statement(settings):
    """The limit interrupts a statement that runs past it, and lets the connection go on working."""
    settings.SEARCH_TIMEOUT_MS = 50
    statement = (
        "SELECT pg_sleep(5)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    with pytest.raises(SearchTimeout), time_limit(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert search_articles(text="anything").count() == 0


def test_only_stop_words_explains_why_nothing_was_found(client):
    """A search of only very common words finds nothing, on both databases, and says why."""
    factories.article(title="The state of the market")
    response = client.get(reverse("articles:search"), {"q": "the of"})
    html = response.content.decode()
    assert "0 results" in html and "Words as common as these are left out of searches." in html


@pytest.mark.parametrize("value", ["a\x00b", "99999999999999999999", "x" * 500])
def test_filters_no_row_could_have_are_form_errors(client, value):
    """A section, mineral or country filter no slug could be answers with the form's error, never a 500."""
    response = client.get("/search/", {"q": "lithium", "section": value, "mineral": value, "country": value})
    assert response.status_code == 200
