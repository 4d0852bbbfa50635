"""
Answering a search: one query language and one ranking, answered by the index on either database.

A query is read as PostgreSQL's websearch_to_tsquery reads it ("quoted phrases", OR,
-exclusions), its words analysed as the index analyses articles (articles.search.text),
and answered by the index (articles.search.backends): best tier first (title, then
title, dek and subjects, then anywhere), newest first within a tier. Only published,
due articles are found.

Work per request is bounded: the index yields at most COUNT_CAP + 1 matches, newest
first in each tier, so the page shows "more than 1,000 results" rather than counting
every match, on both databases alike. A search that runs longer than SEARCH_TIMEOUT_MS
stops with SearchTimeout.
"""

import difflib
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as day_time

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Author, Country, Mineral, Section, Source, TaggedMineral
from articles.recency import recency
from articles.search import backends as search_backends
from articles.search.index import periods_between, subject_facet
from articles.search.text import WORD, plain_text, query_term, stems, term
from core import page_cache

SNIPPET_CHARS = 240
# "Did you mean": the newest headlines whose words are offered, so the kept vocabulary stays small.
SUGGESTION_HEADLINES = 5000
SUGGESTION_CUTOFF = 0.8
COUNT_CAP = 1000
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


class SearchTimeout(Exception):
    """The search ran past SEARCH_TIMEOUT_MS and was stopped."""


@dataclass
class Alternative:
    """One side of an OR: terms that must all appear, and terms that must not."""

    required: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.required or self.excluded)


@dataclass
class ParsedQuery:
    """A websearch-style query as alternatives joined by OR.

    As in websearch_to_tsquery, AND binds tighter than OR and an exclusion belongs to
    its own side of an OR: `lithium -Chile OR nickel` is (lithium AND NOT Chile) OR nickel.
    """

    alternatives: list = field(default_factory=list)  # [Alternative, ...]

    @property
    def positive_terms(self):
        return [term for alternative in self.alternatives for term in alternative.required]

    @property
    def excluded_terms(self):
        return [term for alternative in self.alternatives for term in alternative.excluded]

    def __bool__(self):
        return bool(self.alternatives)

    def index_sides(self):
        """[(required Terms, excluded Terms)] for the index, without stop words and sides left empty by
        them."""
        sides = []
        for alternative in self.alternatives:
            required = [found for found in map(query_term, alternative.required) if found]
            excluded = [found for found in map(query_term, alternative.excluded) if found]
            if required or excluded:
                sides.append((required, excluded))
        return sides


def parse_query(text):
    parsed = ParsedQuery(alternatives=[Alternative()])
    for match in _TOKEN.finditer(text or ""):
        negate, phrase, word = match.groups()
        if word is not None:
            if word.upper() == "OR":
                if parsed.alternatives[-1]:
                    parsed.alternatives.append(Alternative())
                continue
            negate = word.startswith("-") and len(word) > 1
            term_text = word[1:] if negate else word
        else:
            term_text = phrase
        term_text = " ".join(term_text.split()).strip("\"'")
        if not term_text:
            continue
        current = parsed.alternatives[-1]
        (current.excluded if negate else current.required).append(term_text)
    parsed.alternatives = [alternative for alternative in parsed.alternatives if alternative]
    return parsed


class SearchResults:
    """Matching articles in rank order, at most COUNT_CAP of them, fetched a page at a time.

    `count()` is exact up to the cap; `more_than_cap` says there were more. Slicing fetches
    only the articles of that slice (two queries: articles with sections, then authors).
    """

    def __init__(self, article_ids, *, only_stop_words=False, using="default"):
        self.count_cap = COUNT_CAP
        self.more_than_cap = len(article_ids) > COUNT_CAP
        self.article_ids = article_ids[:COUNT_CAP]
        self.only_stop_words = only_stop_words
        self.using = using

    def count(self):
        return len(self.article_ids)

    def __len__(self):
        return len(self.article_ids)

    def __bool__(self):
        return bool(self.article_ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else list(self)[index]
        ids = self.article_ids[index]
        # By primary key alone, so the plan is the same at any size; is_live again, so an entry the
        # index has not yet dropped never shows a withdrawn article.
        found = Article.objects.using(self.using).for_listing().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found and found[pk].is_live]

    def __iter__(self):
        return iter(self[:])


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, day_time.min))


@contextmanager
def time_limit(using="default", *, planned=True):
    """Stop what runs inside after SEARCH_TIMEOUT_MS with SearchTimeout.

    PostgreSQL: a statement timeout for this transaction only, and plans fixed to the GIN
    index (bitmap scans), whatever the table statistics say. SQLite: a progress handler
    that interrupts the statement once the deadline has passed.
    """
    limit = max(0, settings.SEARCH_TIMEOUT_MS)
    connection = connections[using]
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic(using=using), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true),"
                    " set_config('enable_seqscan', %s, true),"
                    " set_config('enable_indexscan', %s, true)",
                    [str(max(1, limit)), "off" if planned else "on", "off" if planned else "on"],
                )
                yield
        else:
            connection.ensure_connection()
            deadline = time.monotonic() + limit / 1000
            connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
            try:
                yield
            finally:
                connection.connection.set_progress_handler(None, 0)
    except OperationalError as error:
        text = str(error).lower()
        if "interrupted" in text or "statement timeout" in text or "canceling statement" in text:
            raise SearchTimeout(f"The search took longer than {limit} ms.") from error
        raise


def search_articles(
    *, text="", section=None, mineral=None, country=None, date_from=None, date_to=None, using="default"
):
    """Live articles matching the query text and filters, best match first (newest first without text)."""
    sides = parse_query(text).index_sides()
    if text and not sides:
        # Nothing searchable is left ("the", "-of"): PostgreSQL's websearch finds nothing either.
        return SearchResults([], only_stop_words=bool(parse_query(text)), using=using)
    low, high = -(1 << 62), recency(timezone.now() + timedelta(seconds=1))
    if date_from is not None:
        low = recency(_start_of_day(date_from))
    if date_to is not None:
        high = min(high, recency(_start_of_day(date_to + timedelta(days=1))))
    facets = [subject_facet(subject) for subject in (section, mineral, country) if subject is not None]
    vendor = connections[using].vendor
    dated = periods_between(low, high) if date_from is not None else []
    expressions = search_backends.tier_expressions(vendor, sides, facets, dated)
    sql, params = search_backends.ranked_sql(vendor, expressions)
    planned = any(match is not None for _, match in expressions)
    with time_limit(using, planned=planned), connections[using].cursor() as cursor:
        cursor.execute(sql, params(low, high, COUNT_CAP + 1))
        ids = [row[0] for row in cursor.fetchall()]
    return SearchResults(ids, using=using)


def _matcher(terms):
    """A test for whether a word of the page matched the query (same analysis as the index)."""
    wanted = stems(terms)
    return lambda word: term(word) in wanted


def highlight(text, terms):
    """Escape plain text and wrap each word the query matched in <mark>."""
    matched = _matcher(terms)
    out, last = [], 0
    for match in WORD.finditer(text):
        if matched(match.group(0)):
            out.append(escape(text[last : match.start()]))
            out.append("<mark>" + escape(match.group(0)) + "</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def _first_match(text, terms):
    """The first word of `text` the query matched, analysing each distinct word of the text once."""
    matched = _matcher(terms)
    forms = sorted({word for word in WORD.findall(text) if matched(word)}, key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, forms)) + r")(?![^\W_])").search(text)


# Where one block of the body ends and another begins: a paragraph, heading, list item, table cell
# or row, caption, quotation or line break. Passages keep these apart ("This month · 4,380"), never
# gluing a table's cells or a heading to the paragraph after it.
_BLOCK_EDGE = re.compile(
    r"<(?:/?(?:p|h[1-6]|li|dt|dd|td|th|tr|caption|figcaption|blockquote|div|section|table|thead|tbody|ul|ol|dl|pre|figure)\b[^>]*|br\s*/?)>",
    re.IGNORECASE,
)
BLOCK_SEPARATOR = " · "


def block_text(body_html):
    """The body's text as a reader sees it, its blocks joined by BLOCK_SEPARATOR."""
    marked = _BLOCK_EDGE.sub("\x1f", body_html or "")
    blocks = (plain_text(block) for block in marked.split("\x1f"))
    return BLOCK_SEPARATOR.join(block for block in blocks if block)


def snippet(article, terms, length=SNIPPET_CHARS):
    """A short passage of the body around the first match, highlighted; the dek when nothing matches."""
    text = block_text(article.body)
    match = _first_match(text, terms)
    if match is None:
        return highlight(article.dek or text[:length], terms)
    start = max(0, match.start() - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", match.end(), end)
        end = space if space > 0 else end
    passage = text[start:end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(passage, terms) + suffix)


def _mineral_names():
    """{symbol or alias, lower-cased: (mineral pk, name, symbol, page address)} for every public mineral."""
    names = {}
    for mineral in Mineral.objects.public().exclude(symbol="", aliases=""):
        for name in [mineral.symbol, *mineral.alias_list]:
            if name:
                names.setdefault(
                    name.lower(), (mineral.pk, mineral.name, mineral.symbol, mineral.get_absolute_url())
                )
    return names


def found_through(articles, terms):
    """{article pk: [(mineral name, symbol, address), ...]} for results tagged with a mineral whose
    symbol or alias the query used ("Nd" finds articles on Neodymium): why they were found.

    The symbols and aliases are a kept piece (one query per content version); the results' tags are
    read, in one query, only when a term is one of them.
    """
    if not terms or not articles:
        return {}
    names = page_cache.fragment(
        "mineral-symbols-and-aliases", tags=[page_cache.CONTENT], render=_mineral_names
    )
    wanted = {}
    for query_word in terms:
        if (found := names.get(query_word.strip().lower())) is not None:
            wanted[found[0]] = found[1:]
    if not wanted:
        return {}
    via = {}
    for article_pk, mineral_pk in (
        TaggedMineral.objects.filter(
            content_object_id__in=[article.pk for article in articles],
            tag_id__in=wanted,
        )
        .values_list("content_object_id", "tag_id")
        .order_by("content_object_id", "tag_id")
    ):
        via.setdefault(article_pk, []).append(wanted[mineral_pk])
    return via


def _vocabulary():
    """Every word search can find that a reader may see, lower-cased: the names and aliases of public
    subjects and the words of the newest published headlines. Nothing unpublished is in it."""
    names = []
    for subjects in (
        Section.objects.all(),
        Mineral.objects.public(),
        Country.objects.public(),
        Source.objects.all(),
        Author.objects.public(),
    ):
        for subject in subjects:
            names.extend([subject.name, getattr(subject, "symbol", ""), *subject.alias_list])
    headlines = Article.objects.published().order_by("-publish_at").values_list("title", flat=True)
    names.extend(headlines[:SUGGESTION_HEADLINES])
    return sorted({word.lower() for name in names for word in WORD.findall(name or "") if len(word) > 2})


def suggestion(text):
    """`text` with each word search does not know replaced by the closest word it does ("did you mean"),
    or None when no word was replaced. Phrases, exclusions and OR keep their places."""
    vocabulary = page_cache.fragment("search-vocabulary", tags=[page_cache.CONTENT], render=_vocabulary)
    known = set(vocabulary)
    changed = False

    def closest(match):
        nonlocal changed
        word = match.group(0)
        if len(word) < 3 or word.lower() in known or word == "OR":
            return word
        found = difflib.get_close_matches(word.lower(), vocabulary, n=1, cutoff=SUGGESTION_CUTOFF)
        if not found:
            return word
        changed = True
        return found[0]

    suggested = WORD.sub(closest, text)
    return suggested if changed else None
