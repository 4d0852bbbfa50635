"""The shared search corpus: the same queries give the same results, in the same order, on SQLite and
PostgreSQL.

`make test` runs it on SQLite; CI's PostgreSQL pass runs the very same cases there, so
both databases are held to one list of expected results.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import search_articles
from articles.search.text import query_term, words
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    now = timezone.now()
    supply = factories.section(name="Supply", slug="supply")
    policy = factories.section(name="Policy", slug="policy")
    lithium = factories.mineral(name="Lithium", slug="lithium", symbol="Li", aliases="white gold")
    neodymium = factories.mineral(name="Neodymium", slug="neodymium", symbol="Nd", aliases="NdPr, didymium")
    manganese = factories.mineral(name="Manganese", slug="manganese", symbol="Mn")
    chile = factories.country(name="Chile", slug="chile")
    indonesia = factories.country(name="Indonesia", slug="indonesia")
    china = factories.country(name="China", slug="china")
    ivory_coast = factories.country(name="Côte d'Ivoire", slug="cote-divoire")
    ruiz = factories.author(name="Ana Ruiz", slug="ana-ruiz")
    zhou = factories.author(name="Mei Lin Zhou", slug="mei-lin-zhou")
    cochilco = factories.source(name="Cochilco", slug="cochilco")
    antara = factories.source(name="Antara", slug="antara")
    xinhua = factories.source(name="Xinhua", slug="xinhua")

    def story(days, **fields):
        return factories.article(publish_at=now - timedelta(days=days), **fields)

    story(
        1,
        title="Lithium brine projects stall in the Atacama",
        dek="Water rights dispute slows Chile's producers.",
        body="<p>The export ban on concentrate hurts producers.</p>",
        section=supply,
        minerals=[lithium],
        countries=[chile],
        authors=[ruiz],
        sources=[cochilco],
    )
    story(
        2,
        title="Export ban extended",
        dek="Indonesia keeps nickel ore at home.",
        body="<p>An export of ore is banned; the ban covers bauxite and the rare earths of China.</p>",
        countries=[indonesia],
        sources=[antara],
    )
    story(
        3,
        title="Magnet makers scramble",
        dek="Refiners in Ganzhou cut output.",
        body="<p>Oxide prices rose as mines in Myanmar closed.</p>",
        minerals=[neodymium],
        countries=[china],
        authors=[zhou],
        sources=[xinhua],
    )
    story(
        4,
        title="Côte d'Ivoire opens a manganese tender",
        dek="",
        body="<p>The mining ministry in Abidjan said bids close in May.</p>",
        minerals=[manganese],
        countries=[ivory_coast],
    )
    story(
        5,
        title="Quarterly figures",
        dek="Shipments by port.",
        body="<p>Lithium shipments fell; analysts like the outlook for rare-earth magnets.</p>",
    )
    story(
        6,
        title="Rare earth supply chain review",
        dek="Ministers meet.",
        body="<p>A note on exports.</p>",
        section=policy,
        authors=[ruiz],
    )
    story(7, title="钕 price notes", body="<p>钕 and praseodymium.</p>")
    story(1, title="Export ban draft", body="<p>Export ban lithium.</p>", status=Article.Status.DRAFT)
    factories.article(
        title="Export ban scheduled", body="<p>Export ban lithium.</p>", publish_at=now + timedelta(days=1)
    )
    return {"supply": supply, "lithium": lithium, "indonesia": indonesia}


LITHIUM = "Lithium brine projects stall in the Atacama"
EXPORT_BAN = "Export ban extended"
MAGNETS = "Magnet makers scramble"
IVORY = "Côte d'Ivoire opens a manganese tender"
QUARTERLY = "Quarterly figures"
RARE_EARTH = "Rare earth supply chain review"
NEODYMIUM_NOTES = "钕 price notes"

# (what the reader types, filters, the titles expected in order). Title matches first, then
# matches in title, dek and subjects, then the rest; newest first within each.
CASES = [
    ("lithium", {}, [LITHIUM, QUARTERLY]),  # title before body
    ("Li", {}, [LITHIUM]),  # a symbol, a whole word: not "like"
    ('"white gold"', {}, [LITHIUM]),  # a mineral's alias, as a phrase
    ("Chile", {}, [LITHIUM]),  # a country's name
    ("Indonesia", {}, [EXPORT_BAN]),
    ("Cochilco", {}, [LITHIUM]),  # a cited source
    ("xinhua", {}, [MAGNETS]),
    ("Ruiz", {}, [LITHIUM, RARE_EARTH]),  # an author, newest first
    ('"Ana Ruiz"', {}, [LITHIUM, RARE_EARTH]),
    ("supply", {}, [RARE_EARTH, LITHIUM]),  # title above a section's name
    ('"export ban"', {}, [EXPORT_BAN, LITHIUM]),  # a phrase: title, then body
    ('"ban export"', {}, []),  # words out of order are no phrase
    ("export -Indonesia", {}, [LITHIUM, RARE_EARTH]),  # exclusion; "exports" is "export"
    ('export -"export ban"', {}, [RARE_EARTH]),  # a phrase excluded
    ("Atacama OR Ganzhou", {}, [LITHIUM, MAGNETS]),  # either word: title, then dek
    ("Atacama OR export -Chile", {}, [LITHIUM, EXPORT_BAN, RARE_EARTH]),  # exclusion binds to its side
    ("-ban lithium", {}, [QUARTERLY]),
    ("the", {}, []),  # stop words alone find nothing
    ("-the", {}, []),
    ("the Atacama of", {}, [LITHIUM]),  # ... and are dropped from longer queries
    ("mines", {}, [MAGNETS, IVORY]),  # stemming: mines, mining
    ("Cote d'Ivoire", {}, [IVORY]),  # without its accent, an apostrophe within
    ("côte", {}, [IVORY]),
    ('"rare earths of China"', {}, [EXPORT_BAN]),  # a stop word inside a phrase
    ('"rare earths China"', {}, []),  # ... holds its place
    ("rare-earth", {}, [RARE_EARTH, EXPORT_BAN, QUARTERLY]),  # a hyphenated word is a phrase
    ("钕", {}, [NEODYMIUM_NOTES]),  # a word in another script
    ("Nd", {}, [MAGNETS]),
    ("didymium", {}, [MAGNETS]),
    ("manganese Abidjan", {}, [IVORY]),  # two words, found in different fields
    ("zyxwvut", {}, []),  # a word in no article
    ("export", {"section": "supply"}, [LITHIUM]),  # filters narrow the words
    ("ban", {"country": "indonesia"}, [EXPORT_BAN]),
    ("", {"mineral": "lithium"}, [LITHIUM]),  # a filter alone, newest first
]


def test_corpus_gives_the_expected_results_in_order(corpus):
    """Every query of the shared corpus finds exactly the expected live articles, in rank order."""
    wrong = []
    for text, filters, expected in CASES:
        found = [
            article.title
            for article in search_articles(text=text, **{k: corpus[v] for k, v in filters.items()})
        ]
        if found != expected:
            wrong.append(f"{text!r} {filters}: {found} != {expected}")
    assert not wrong, f"on {connection.vendor}:\n" + "\n".join(wrong)


def test_count_is_the_number_of_matches(corpus):
    """The count of a search below the cap is exact: the number of live matches."""
    assert search_articles(text="export").count() == 3
    assert search_articles(text="export").more_than_cap is False


def test_stop_words_are_postgresqls_and_terms_are_stemmed_like_its_english():
    """The analyser drops PostgreSQL's English stop words and stems as Snowball English does."""
    assert words("The mines of Chile's north") == [None, "mine", None, "chile", None, "north"]
    assert words("Generously dying news") == ["generous", "die", "news"]  # Porter2, as PostgreSQL: not "new"
    assert query_term("export ban").terms == ("export_ban",)
    assert query_term("rare earths of China").terms == ("rare_earth", "earth__china")
    assert query_term("of the") is None
