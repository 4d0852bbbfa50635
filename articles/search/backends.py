"""
How each database holds and answers the search index: SQLite through an FTS5 table,
PostgreSQL through a GIN-indexed tsvector. Both index the same terms (articles.search.text)
and answer the same query the same way, so they find the same articles in the same order.

Ranking is shared too. An article matched by its title alone comes first, then one
matched by its title, dek and subjects together, then the rest; within each tier,
newest first. Each tier is one lookup in the index that returns rows newest first and
stops at the cap, so no request ranks more rows than it can show or count.

- SQLite: the FTS5 table `articles_search_fts` is an external-content index over
  `articles_searchentry`, kept in step by triggers; its rowid is the entry's recency, so
  FTS5 yields matches newest first and a date range or "due by now" is a rowid range.
  A tier is a column filter (`{title} : ...`), a filter a token of the facets column.
- PostgreSQL: one tsvector per entry holds every term, the same terms prefixed with
  `title:` (title) and `head:` (title, dek and subjects) for the tiers, and `#facet`
  lexemes for the filters, so every tier and filter is a plain lookup in one GIN index.
"""

FTS_TABLE = "articles_search_fts"
ENTRY_TABLE = "articles_searchentry"
GIN_INDEX = "articles_searchentry_vector_gin"
TIERS = (3, 2, 1)  # title, headline (title + dek + subjects), anywhere
_COLUMNS = {3: ("title",), 2: ("title", "dek", "subjects"), 1: ("title", "dek", "subjects", "body")}
_PREFIX = {3: "title:", 2: "head:", 1: ""}
MAX_POSITION, MAX_POSITIONS = 16383, 256  # PostgreSQL's limits for tsvector positions


_FTS_COLUMNS = ("title", "dek", "subjects", "body", "facets")


def sqlite_schema():
    """Statements creating the FTS5 table and the triggers that keep it in step with the entries."""
    # Terms arrive analysed; FTS5 only splits them at spaces ("_" joins the words of a pair).
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(_FTS_COLUMNS)}, content='{ENTRY_TABLE}', "
        "content_rowid='recency', tokenize=\"ascii tokenchars '_'\", columnsize=0)",
        *sqlite_triggers(),
    ]


def sqlite_triggers():
    columns = ", ".join(_FTS_COLUMNS)
    new = ", ".join(f"new.{name}" for name in _FTS_COLUMNS)
    old = ", ".join(f"old.{name}" for name in _FTS_COLUMNS)
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.recency, {new});"
    delete = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.recency, {old});"
    return [
        f"CREATE TRIGGER {ENTRY_TABLE}_ai AFTER INSERT ON {ENTRY_TABLE} BEGIN {insert} END",
        f"CREATE TRIGGER {ENTRY_TABLE}_ad AFTER DELETE ON {ENTRY_TABLE} BEGIN {delete} END",
        f"CREATE TRIGGER {ENTRY_TABLE}_au AFTER UPDATE ON {ENTRY_TABLE} BEGIN {delete} {insert} END",
    ]


def sqlite_drop_triggers():
    return [f"DROP TRIGGER IF EXISTS {ENTRY_TABLE}_{suffix}" for suffix in ("ai", "ad", "au")]


def sqlite_drop_schema():
    return [f"DROP TABLE IF EXISTS {FTS_TABLE}", *sqlite_drop_triggers()]


def postgres_schema():
    return [
        f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {ENTRY_TABLE} USING gin (vector)",
        # Keep the heap narrow (vectors out of line): matching reads the GIN index and the
        # recency, never the vector itself, so a search touches few pages.
        f"ALTER TABLE {ENTRY_TABLE} SET (toast_tuple_target = 128)",
    ]


# --- what an entry stores -------------------------------------------------------------------


def sqlite_columns(document):
    """The text of each FTS5 column: distinct words, then the pairs in order ("_" between pieces)."""
    columns = {}
    for name in document.FIELDS:
        built = getattr(document, name)
        columns[name] = " ".join(built.words + [pair or "_" for pair in built.pairs])
    columns["facets"] = " ".join(document.facets)
    return columns


def postgres_vector(document):
    """The tsvector literal: words without positions, pairs with them (for phrases of three words or more).

    Pairs past PostgreSQL's last position keep no position: they still find two-word
    phrases; a longer phrase there is matched as its pairs in any order.
    """
    parts, positions, position = [], {}, 1
    for name in document.FIELDS:
        built = getattr(document, name)
        prefixes = [prefix for tier, prefix in _PREFIX.items() if name in _COLUMNS[tier]]
        for prefix in prefixes:
            parts.extend(f"'{prefix}{word}'" for word in built.words)
        for pair in built.pairs:
            if pair is not None:
                for prefix in prefixes:
                    if position <= MAX_POSITION:
                        positions.setdefault(prefix + pair, []).append(position)
                    else:
                        parts.append(f"'{prefix}{pair}'")
            position += 1
        position += 1  # no phrase runs from one field into the next
    parts.extend(f"'#{facet}'" for facet in document.facets)
    # Terms hold only letters, digits, "_", ":" and "#", so quoting needs no escapes; PostgreSQL
    # merges a lexeme given twice.
    parts.extend(
        f"'{lexeme}':" + ",".join(map(str, found[:MAX_POSITIONS])) for lexeme, found in positions.items()
    )
    return " ".join(parts)


# --- how a query is asked -------------------------------------------------------------------


def _fts_term(term, columns):
    return "{" + " ".join(columns) + '} : "' + " ".join(term.terms) + '"'


def _fts_side(side, tier):
    required, excluded = side
    if not required:
        if tier != 1:
            return None  # "-word" alone matches, but never ranks above a real match
        positive = '{facets} : "all"'
    else:
        positive = " AND ".join(_fts_term(term, _COLUMNS[tier]) for term in required)
    if excluded:
        return f"({positive}) NOT ({' OR '.join(_fts_term(term, _COLUMNS[1]) for term in excluded)})"
    return f"({positive})"


def _pg_term(term, prefix):
    return "(" + " <-> ".join(f"'{prefix}{part}'" for part in term.terms) + ")"


def _pg_side(side, tier):
    required, excluded = side
    if not required and tier != 1:
        return None
    parts = [_pg_term(term, _PREFIX[tier]) for term in required]
    if excluded:
        parts.append("!(" + " | ".join(_pg_term(term, "") for term in excluded) + ")")
    return "(" + " & ".join(parts) + ")"


def tier_expressions(vendor, sides, facets, periods=()):
    """[(tier, match expression)] for each tier the query can reach, best first; each excludes the tiers
    above.

    `periods` (month or year facets covering a date range) narrow PostgreSQL's GIN lookup to the
    range; SQLite reads a date range as a rowid range instead. Either way the exact bounds apply.
    """
    build, join_or, join_not, join_and = (
        (_fts_side, " OR ", " NOT ", " AND ") if vendor == "sqlite" else (_pg_side, " | ", " & !", " & ")
    )
    if vendor == "sqlite":
        filters = [f'{{facets}} : "{facet}"' for facet in facets]
    else:
        filters = [f"'#{facet}'" for facet in facets]
    if not sides and not filters:
        return [(1, None)]  # dates alone: a range of the recency index
    if periods and vendor != "sqlite":
        filters.append("(" + " | ".join(f"'#{period}'" for period in periods) + ")")
    if not sides:
        return [(1, join_and.join(filters))]
    matches = {}
    for tier in TIERS:
        built = [expression for expression in (build(side, tier) for side in sides) if expression]
        if built:
            matches[tier] = "(" + join_or.join(built) + ")"
    out = []
    for tier, match in matches.items():
        above = matches.get(tier + 1)
        expression = f"({match}{join_not}{above})" if above else match
        out.append((tier, join_and.join([expression, *filters])))
    return out


def ranked_sql(vendor, expressions):
    """SQL and a param builder returning the ids of the best-ranked articles, up to a limit.

    Params per tier: (match, lowest recency, highest recency excluded, limit); then the overall limit.
    """
    if vendor == "sqlite":
        branch = (
            "SELECT * FROM (SELECT rowid AS recency, {tier} AS tier FROM "
            + FTS_TABLE
            + " WHERE "
            + FTS_TABLE
            + " MATCH %s AND rowid >= %s AND rowid < %s ORDER BY rowid DESC LIMIT %s)"
        )
        plain = (
            "SELECT * FROM (SELECT recency, 1 AS tier FROM "
            + ENTRY_TABLE
            + " WHERE recency >= %s AND recency < %s ORDER BY recency DESC LIMIT %s)"
        )
        outer = (
            "SELECT e.article_id FROM ({branches} LIMIT %s) AS ranked JOIN "
            + ENTRY_TABLE
            + " AS e ON e.recency = ranked.recency ORDER BY ranked.tier DESC, ranked.recency DESC"
        )
    else:
        # OFFSET 0 keeps the recency range out of the scan, so the GIN index is the only way in:
        # a plan through the recency index would read every vector in the range.
        branch = (
            "(SELECT article_id, recency, {tier} AS tier FROM (SELECT article_id, recency FROM "
            + ENTRY_TABLE
            + " WHERE vector @@ %s::tsquery OFFSET 0) AS matched"
            " WHERE recency >= %s AND recency < %s ORDER BY recency DESC LIMIT %s)"
        )
        plain = (
            "(SELECT article_id, recency, 1 AS tier FROM "
            + ENTRY_TABLE
            + " WHERE recency >= %s AND recency < %s ORDER BY recency DESC LIMIT %s)"
        )
        outer = (
            "SELECT article_id FROM (SELECT * FROM ({branches}) AS tiers LIMIT %s) AS ranked "
            "ORDER BY tier DESC, recency DESC"
        )
    branches = [
        (branch.format(tier=tier) if match is not None else plain, match) for tier, match in expressions
    ]
    sql = outer.format(branches=" UNION ALL ".join(text for text, _ in branches))

    def params(low, high, limit):
        out = []
        for _, match in branches:
            out += ([match] if match is not None else []) + [low, high, limit]
        return out + [limit]

    return sql, params
