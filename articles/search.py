"""
Article search: one selector, two engines.

On PostgreSQL, articles are matched against their stored, GIN-indexed search vector
with websearch syntax ("quoted phrases", OR, -exclusions) and ordered by rank. On SQLite
the same syntax is parsed here and matched word by word over title, dek and body. On
both, a term that names a mineral (its name, symbol or an alias) also finds the articles
tagged with it, and only published articles are ever searched.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from articles.models import Article, Mineral, TaggedMineral
from articles.search_index import is_supported, search_config

SNIPPET_CHARS = 240
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


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
            term = word[1:] if negate else word
        else:
            term = phrase
        term = " ".join(term.split()).strip("\"'")
        if not term:
            continue
        current = parsed.alternatives[-1]
        (current.excluded if negate else current.required).append(term)
    parsed.alternatives = [alternative for alternative in parsed.alternatives if alternative]
    return parsed


def _mineral_alias_filter(term):
    """Q matching a mineral whose name or symbol is the term, or whose alias list contains it."""
    alias = r"(^|,)\s*" + re.escape(term) + r"\s*(,|$)"
    return Q(name__iexact=term) | Q(symbol__iexact=term) | Q(aliases__iregex=alias)


def _word_pattern(term):
    # Words that start with the term ("mine" finds "mines"), as stemming would, but "Nd"
    # does not find "extended". SQLite runs the pattern with Python's re module.
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in term.split())


def _body_word_pattern(term):
    # The body is HTML. As PostgreSQL's parser does, read only its text: a phrase may span
    # inline tags ("export <em>ban</em>"), and tag names and attributes ("strong", "href",
    # "noopener") are not words of the article.
    words = r"(?:\s|<[^<>]*>)+".join(re.escape(word) for word in term.split())
    return r"(?<!\w)" + words + r"(?![^<>]*>)"


def _term_filter(term):
    # Subqueries rather than joins, so that terms can be ANDed and negated freely: two
    # joined mineral conditions in one filter() would have to hold for the same tag row.
    pattern = _word_pattern(term)
    words = Q(title__iregex=pattern) | Q(dek__iregex=pattern) | Q(body__iregex=_body_word_pattern(term))
    tagged = TaggedMineral.objects.filter(tag__in=Mineral.objects.filter(_mineral_alias_filter(term)))
    return words | Q(pk__in=tagged.values("content_object"))


def _word_search(articles, parsed):
    matches = Q()
    for alternative in parsed.alternatives:
        side = Q()
        for term in alternative.required:
            side &= _term_filter(term)
        for term in alternative.excluded:
            side &= ~_term_filter(term)
        matches |= side
    return articles.filter(matches).order_by("-publish_at", "-id")


def _full_text_search(articles, text):
    query = SearchQuery(text, search_type="websearch", config=search_config())
    return (
        articles.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-publish_at", "-id")
    )


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def search_articles(*, text="", section=None, mineral=None, country=None, date_from=None, date_to=None):
    """Live articles matching the query text and filters, best match first (newest first without text)."""
    articles = Article.objects.published().for_listing()
    for subject in (section, mineral, country):
        if subject is not None:
            articles = articles.about(subject)
    # Whole days in the site's time zone, as bounds the publish_at index can serve.
    if date_from is not None:
        articles = articles.filter(publish_at__gte=_start_of_day(date_from))
    if date_to is not None:
        articles = articles.filter(publish_at__lt=_start_of_day(date_to + timedelta(days=1)))
    parsed = parse_query(text)
    if not parsed:
        return articles.order_by("-publish_at", "-id")
    if is_supported(articles.db):
        return _full_text_search(articles, text)
    return _word_search(articles, parsed)


_SUFFIXES = ("ies", "es", "s", "ing", "ed")


def _stem(word):
    """A light English stem, so a search for "magnets" marks "magnet" as PostgreSQL matched it."""
    for suffix in _SUFFIXES:
        if word.lower().endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _highlight_pattern(terms):
    """Whole words starting with each term's stem, so "mines" also marks "mine" and "mined"."""
    pieces = []
    for term in sorted(terms, key=len, reverse=True):
        words = [re.escape(_stem(word)) for word in term.split()]
        if words:
            pieces.append(r"\s+".join(words) + r"\w*")
    if not pieces:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(pieces) + ")", re.IGNORECASE)


def highlight(text, terms):
    """Escape plain text and wrap each match of the terms in <mark>."""
    pattern = _highlight_pattern(terms)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append("<mark>" + escape(match.group(0)) + "</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def plain_text(body_html):
    return " ".join(html.unescape(strip_tags(body_html or "")).split())


def snippet(article, terms, length=SNIPPET_CHARS):
    """A short passage of the body around the first match, highlighted; the dek when nothing matches."""
    text = plain_text(article.body)
    pattern = _highlight_pattern(terms)
    match = pattern.search(text) if pattern else None
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
