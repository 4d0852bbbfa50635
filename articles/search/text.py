"""
The words of search: how text becomes the terms both databases index and match.

One analyser serves SQLite and PostgreSQL alike, so the two can never disagree about
what a word is: words are runs of letters and digits, folded to lower case without
diacritics ("Côte" is "cote"); PostgreSQL's English stop words are dropped, keeping
their place; the rest are stemmed with Snowball's English stemmer, the one PostgreSQL's
`english` configuration uses ("mines", "mining" and "mined" are all "mine").

A phrase is matched through pairs of neighbouring words, indexed as terms of their own
("export ban" is the term `export_ban`, "rare earths of China" gives `rare_earth` and
`earth__china`, one underscore more per stop word between). A quoted phrase is then a
lookup of one or a few terms in the index, as cheap as a word, on both databases.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

# PostgreSQL's english.stop (Snowball's English list), so both databases skip the same words.
STOP_WORDS = frozenset(
    """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
herself it its itself they them their theirs themselves what which who whom this that these those am is are
was were be been being have has had having do does did doing a an the and but if or because as until while
of at by for with about against between into through during before after above below to from up down in out
on off over under again further then once here there when where why how all any both each few more most
other some such no nor not only own same so than too very s t can will just don should now
""".split()
)

WORD = re.compile(r"[^\W_]+")
# Stop words between two words of a pair beyond this many are counted as this many.
MAX_GAP = 4
LONGEST_WORD = 60  # longer runs are not words anyone searches for (hashes, data)
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=300_000)
def term(word):
    """The indexed form of one word, or None for a stop word or a word too long to index."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = unicodedata.normalize("NFKC", folded)
    if not folded or folded in STOP_WORDS or len(folded) > LONGEST_WORD:
        return None
    # Folding may split a word ("ǅ" is "dž", "½" is "1⁄2"); what is left joins into one term.
    return _stemmer.stemWord("".join(WORD.findall(folded))) or None


def words(text):
    """The terms of `text` in order, None standing in for each stop word."""
    return [term(word) for word in WORD.findall(text or "")]


def pairs(terms):
    """Each word joined with the next one, underscores counting one more than the stop words between."""
    out, previous, gap = [], None, 0
    for current in terms:
        if current is None:
            gap += 1
            continue
        if previous is not None:
            out.append(previous + "_" * min(gap + 1, MAX_GAP + 1) + current)
        previous, gap = current, 0
    return out


def plain_text(body_html):
    """The text of an HTML body as a reader sees it: no tags, no scripts or styles, entities decoded."""
    return " ".join(html.unescape(_TAG.sub(" ", body_html or "")).split())


@dataclass
class Field:
    """What one field of an article contributes: its distinct words, and its pairs in order.

    `pairs` holds None between separate pieces of text (two subject names), so that no
    phrase is found across them.
    """

    words: list = field(default_factory=list)
    pairs: list = field(default_factory=list)

    @classmethod
    def of(cls, *texts):
        built, seen = cls(), set()
        for text in texts:
            terms = words(text)
            for current in terms:
                if current is not None and current not in seen:
                    seen.add(current)
                    built.words.append(current)
            if built.pairs and built.pairs[-1] is not None:
                built.pairs.append(None)
            built.pairs.extend(pairs(terms))
        return built


@dataclass
class Document:
    """An article as the index sees it. Title above dek and subjects, and those above the body."""

    title: Field
    dek: Field
    subjects: Field
    body: Field
    facets: list  # "all", "section3", "mineral7", ...: what the filters narrow by

    FIELDS = ("title", "dek", "subjects", "body")
    HEADLINE = ("title", "dek", "subjects")


@dataclass(frozen=True)
class Term:
    """A word or phrase of a query as index terms: one word, or a chain of pairs."""

    terms: tuple


def query_term(text):
    """The index terms a query word or quoted phrase stands for; None when it is all stop words.

    A single word of several parts ("rare-earth", "d'Ivoire") is matched as a phrase,
    as PostgreSQL's websearch_to_tsquery does.
    """
    terms = words(text)
    content = [current for current in terms if current is not None]
    if not content:
        return None
    if len(content) == 1:
        return Term((content[0],))
    return Term(tuple(pairs(terms)))


def stems(texts):
    """Every term in some texts, for marking matched words in what the page shows."""
    return {current for text in texts for current in words(text) if current is not None}
