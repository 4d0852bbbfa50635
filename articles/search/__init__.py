"""Article search, on SQLite's FTS5 or PostgreSQL's GIN index, fed the same terms by one analyser.

    text.py      the analyser: how article text and queries become index terms
    backends.py  the two databases' index tables and ranked queries
    index.py     keeps the index in step with the articles (the one place that writes it)
    query.py     answers a search: parsing, ranking tiers, snippets, limits

The names below are the public API; views, templates, commands and tests use these.
"""

from articles.search.index import index_articles, rebuild_index
from articles.search.query import (
    COUNT_CAP,
    SearchTimeout,
    found_through,
    highlight,
    parse_query,
    search_articles,
    snippet,
    suggestion,
    time_limit,
)

__all__ = [
    "COUNT_CAP",
    "SearchTimeout",
    "found_through",
    "highlight",
    "index_articles",
    "parse_query",
    "rebuild_index",
    "search_articles",
    "snippet",
    "suggestion",
    "time_limit",
]
