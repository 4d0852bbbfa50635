"""Search: the query language, filters, the results page and its query budget (both databases)."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.forms import SearchForm
from articles.models import Article
from articles.search import highlight, parse_query, search_articles, snippet
from tests.support import factories

pytestmark = pytest.mark.django_db


def titles(articles):
    return sorted(article.title for article in articles)


@pytest.fixture
def desk():
    section = factories.section(name="Supply", slug="supply")
    neodymium = factories.mineral(name="Neodymium", slug="neodymium", symbol="Nd", aliases="NdPr, didymium")
    lithium = factories.mineral(name="Lithium", slug="lithium", symbol="Li", aliases="white gold")
    chile = factories.country(name="Chile", slug="chile")
    return {
        "magnet": factories.article(
            title="Magnet makers scramble for supply",
            dek="Prices rise in Ganzhou.",
            body="<p>Refiners in Ganzhou cut output of oxide.</p>",
            section=section,
            minerals=[neodymium],
        ),
        "brine": factories.article(
            title="Brine projects stall in the Atacama",
            dek="Water rights dispute.",
            body="<p>The export ban on concentrate hurts Chilean producers.</p>",
            minerals=[lithium],
            countries=[chile],
        ),
        "ban": factories.article(
            title="Export ban extended",
            dek="Indonesia keeps nickel at home.",
            body="<p>An export of ore is banned; the ban covers bauxite.</p>",
        ),
        "draft": factories.article(
            title="Export ban draft",
            body="<p>Export ban.</p>",
            status=Article.Status.DRAFT,
        ),
        "scheduled": factories.article(
            title="Export ban scheduled",
            body="<p>Export ban.</p>",
            publish_at=timezone.now() + timedelta(days=1),
        ),
        "section": section,
        "neodymium": neodymium,
        "lithium": lithium,
        "chile": chile,
    }


def test_parse_query_understands_websearch_syntax():
    """Quoted phrases, OR and -exclusions parse as websearch_to_tsquery reads them."""
    parsed = parse_query('lithium -Chile "export ban" or nickel -"rare earth"')
    assert [(side.required, side.excluded) for side in parsed.alternatives] == [
        (["lithium", "export ban"], ["Chile"]),
        (["nickel"], ["rare earth"]),
    ]
    assert parsed.positive_terms == ["lithium", "export ban", "nickel"]
    assert not parse_query("   ")


def test_words_are_found_in_title_dek_and_body(desk):
    """A word matches wherever it appears in title, dek or body."""
    assert titles(search_articles(text="magnet")) == ["Magnet makers scramble for supply"]
    assert titles(search_articles(text="Indonesia")) == ["Export ban extended"]
    assert titles(search_articles(text="concentrate")) == ["Brine projects stall in the Atacama"]


def test_all_words_must_match(desk):
    """Several words narrow the results: every one must be present."""
    assert titles(search_articles(text="export bauxite")) == ["Export ban extended"]
    assert list(search_articles(text="export magnet")) == []


def test_only_published_articles_are_found(desk):
    """Drafts and scheduled articles never appear in results, whatever the words."""
    found = titles(search_articles(text="export ban"))
    assert found == ["Brine projects stall in the Atacama", "Export ban extended"]


def test_quoted_phrase_matches_words_together(desk):
    """A quoted phrase needs its words side by side, not anywhere in the text."""
    both = ["Brine projects stall in the Atacama", "Export ban extended"]
    assert titles(search_articles(text='"export ban"')) == both
    assert titles(search_articles(text='"ore is banned"')) == ["Export ban extended"]
    assert list(search_articles(text='"ban export"')) == []


def test_exclusion_removes_matches(desk):
    """-word drops articles containing it."""
    assert titles(search_articles(text="export -Indonesia")) == ["Brine projects stall in the Atacama"]
    assert titles(search_articles(text='export -"water rights"')) == ["Export ban extended"]


def test_or_finds_either(desk):
    """OR between words finds articles with either."""
    assert titles(search_articles(text="Ganzhou OR Atacama")) == [
        "Brine projects stall in the Atacama",
        "Magnet makers scramble for supply",
    ]


def test_an_exclusion_belongs_to_its_side_of_or(desk):
    """`a OR b -c` is a OR (b AND NOT c), as websearch_to_tsquery reads it: c does not drop a's matches."""
    assert titles(search_articles(text="Atacama OR export -Chilean")) == [
        "Brine projects stall in the Atacama",
        "Export ban extended",
    ]
    assert titles(search_articles(text="-export OR Atacama")) == [
        "Brine projects stall in the Atacama",
        "Magnet makers scramble for supply",
    ]


def test_two_mineral_names_find_an_article_tagged_with_both(desk):
    """Each mineral term may be satisfied by a different tag of the same article."""
    both = factories.article(title="Quiet week", minerals=[desk["neodymium"], desk["lithium"]])
    assert list(search_articles(text="Nd lithium")) == [both]
    assert list(search_articles(text="didymium -lithium")) == [desk["magnet"]]


def test_mineral_symbols_and_aliases_find_tagged_articles(desk):
    """Searching a mineral's symbol, name or alias finds articles tagged with it, though they never say it."""
    for term in ("Nd", "neodymium", "didymium", "NdPr"):
        assert titles(search_articles(text=term)) == ["Magnet makers scramble for supply"], term
    assert titles(search_articles(text='"white gold"')) == ["Brine projects stall in the Atacama"]


def test_filters_narrow_by_section_mineral_country_and_dates(desk):
    """Each filter narrows the results on its own and with words."""
    assert titles(search_articles(section=desk["section"])) == ["Magnet makers scramble for supply"]
    assert titles(search_articles(mineral=desk["lithium"])) == ["Brine projects stall in the Atacama"]
    assert titles(search_articles(text="export", country=desk["chile"])) == [
        "Brine projects stall in the Atacama"
    ]
    old = factories.article(title="Old export story", publish_at=timezone.now() - timedelta(days=40))
    today = timezone.now().date()
    recent = search_articles(text="export", date_from=today - timedelta(days=7))
    assert old.title not in titles(recent) and len(recent) == 2
    assert titles(search_articles(text="export", date_to=today - timedelta(days=30))) == ["Old export story"]


def test_date_range_includes_whole_days():
    """Both ends of the date range are whole days in the site's time zone."""
    late = factories.article(title="Late", publish_at=timezone.make_aware(datetime(2026, 3, 10, 23, 59)))
    early = factories.article(title="Early", publish_at=timezone.make_aware(datetime(2026, 3, 11, 0, 0)))
    assert list(search_articles(date_to=date(2026, 3, 10))) == [late]
    assert list(search_articles(date_from=date(2026, 3, 11))) == [early]
    assert list(search_articles(date_from=date(2026, 3, 10), date_to=date(2026, 3, 11))) == [early, late]


def test_search_form_rejects_a_backwards_date_range():
    """A start date after the end date is a form error with its own code."""
    form = SearchForm({"q": "lithium", "date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert not form.is_valid()
    assert form.has_error("__all__", code="date_range")


def test_search_form_rejects_unknown_filters_and_long_queries():
    """An unknown section slug and an over-long query are field errors."""
    form = SearchForm({"q": "x" * 201, "section": "no-such-section"})
    assert not form.is_valid()
    assert form.has_error("q", code="max_length")
    assert form.has_error("section", code="invalid_choice")


def test_highlight_escapes_text_and_marks_terms():
    """Highlighting escapes the article's text and marks each word the search matched, in any form."""
    marked = highlight("Mines <b>& mining</b> of minerals", ["mine"])
    assert marked == "<mark>Mines</mark> &lt;b&gt;&amp; <mark>mining</mark>&lt;/b&gt; of minerals"
    assert (
        highlight("One magnet, two magnets", ["magnets"])
        == "One <mark>magnet</mark>, two <mark>magnets</mark>"
    )


def test_snippet_centres_on_the_match(desk):
    """The snippet is plain text from the body around the first match, highlighted."""
    article = factories.article(
        body="<p>" + "filler " * 80 + "the <em>bauxite</em> ban bites</p>" + "<p>tail</p>"
    )
    text = snippet(article, ["bauxite"])
    assert "<mark>bauxite</mark>" in text and "<em>" not in text
    assert text.startswith("… ")


def test_results_page_lists_highlighted_matches(client, desk):
    """The results page shows matching articles with a highlighted snippet, and keeps the query in the box."""
    response = client.get(reverse("articles:search"), {"q": "Ganzhou"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Magnet makers scramble for supply" in html
    assert "<mark>Ganzhou</mark>" in html
    assert 'value="Ganzhou"' in html
    assert "Export ban extended" not in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_results_page_highlights_titles(client, desk):
    """Matching words in a result's headline are marked too."""
    html = client.get(reverse("articles:search"), {"q": "magnet"}).content.decode()
    assert "<mark>Magnet</mark> makers scramble for supply" in html


def test_results_page_escapes_the_query(client, desk):
    """What a reader types is shown escaped, never as markup."""
    response = client.get(reverse("articles:search"), {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_results_page_re_renders_invalid_filters_with_messages(client, desk):
    """A bad date range re-renders the form with its message and the reader's input."""
    response = client.get(
        reverse("articles:search"), {"q": "export", "date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The start date is after the end date." in html
    assert 'value="export"' in html and 'value="2026-05-02"' in html
    assert "result" not in response.context or not response.context["searched"]


def test_empty_search_shows_the_form_only(client, desk):
    """Without words or filters there is no results list."""
    response = client.get(reverse("articles:search"))
    assert response.status_code == 200
    assert response.context["searched"] is False
    assert "Magnet makers" not in response.content.decode()


def test_results_are_paginated_keeping_the_query(client, settings):
    """Results run over pages whose links keep the query and filters."""
    section = factories.section(slug="markets")
    for n in range(23):
        factories.article(title=f"Cobalt market note {n}", section=section)
    first = client.get(reverse("articles:search"), {"q": "cobalt", "section": "markets"})
    assert first.context["paginator"].count == 23
    assert len(first.context["articles"]) == 20
    assert "?q=cobalt&amp;section=markets&amp;page=2" in first.content.decode()
    second = client.get(reverse("articles:search"), {"q": "cobalt", "section": "markets", "page": 2})
    assert len(second.context["articles"]) == 3


def test_search_box_is_in_every_page_header(client, desk):
    """The header of the front page carries the search form pointing at the results page."""
    html = client.get(reverse("articles:front-page")).content.decode()
    assert f'action="{reverse("articles:search")}"' in html and 'name="q"' in html


def test_results_page_query_count_is_fixed(client, django_assert_num_queries):
    """The results page costs the same number of queries for 2 results or 20."""
    authors = [factories.author(), factories.author()]
    for n in range(20):
        factories.article(title=f"Gallium curbs {n}", authors=authors)
    # navigation, three filter lists, the ranked matches (which give the count), the page's articles,
    # their authors, the minerals' symbols and aliases (for "found through": a kept piece, read once per
    # content version); on PostgreSQL the search also sets its statement timeout in its own transaction
    # (here a savepoint pair, inside the test's transaction).
    expected = 8 + (3 if connection.vendor == "postgresql" else 0)
    client.get(reverse("articles:search"))  # warm anything cached per process (the site settings)
    with django_assert_num_queries(expected):
        response = client.get(reverse("articles:search"), {"q": "gallium"})
    assert len(response.context["articles"]) == 20


@given(text=st.text(max_size=200), terms=st.lists(st.text(min_size=1, max_size=12), max_size=4))
def test_highlight_never_lets_markup_through(text, terms):
    """Whatever the text and query, the only tags highlighting emits are its own <mark> pairs."""
    marked = str(highlight(text, terms))
    assert "<" not in marked.replace("<mark>", "").replace("</mark>", "")
    assert marked.count("<mark>") == marked.count("</mark>")


@given(query=st.text(max_size=120))
def test_parse_query_accepts_anything(query):
    """No reader input makes the query parser fail, and it keeps no empty terms."""
    parsed = parse_query(query)
    assert all(term.strip() for term in parsed.positive_terms + parsed.excluded_terms)


def test_rebuild_command_indexes_what_other_paths_wrote():
    """rebuild_search_index indexes rows written around the index (QuerySet.update) and says how many."""
    article = factories.article(title="Germanium")
    Article.objects.filter(pk=article.pk).update(title="Antimony curbs")
    assert list(search_articles(text="antimony")) == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert list(search_articles(text="antimony")) == [article]
    assert out.getvalue().startswith(f"Indexed 1 published article for search on {connection.vendor} in ")


def test_searches_are_rate_limited_per_client(client, settings):
    """Past the per-minute limit a client gets the 429 page, and other clients are unaffected."""
    settings.SEARCH_RATE_LIMIT = 2
    for _ in range(2):
        assert client.get(reverse("articles:search"), {"q": "lithium"}).status_code == 200
    limited = client.get(reverse("articles:search"), {"q": "lithium"})
    # Retry-After is the real time left in the minute the limit counts over.
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    other = client.get(reverse("articles:search"), {"q": "lithium"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200


@pytest.mark.parametrize("field, value", [("date_to", "9999-12-31"), ("date_from", "0001-01-01")])
def test_dates_out_of_range_are_form_errors(client, field, value):
    """A date at the calendar's edge re-renders the form with a message instead of failing the page."""
    response = client.get(reverse("articles:search"), {"q": "lithium", field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, code="out_of_range")
    html = response.content.decode()
    assert "Enter a date between 1900 and 2999." in html
    assert 'min="1900-01-01"' in html and 'max="2999-12-31"' in html  # the date picker offers only these


def test_body_markup_is_not_searched_but_phrases_span_it():
    """Tag names and attributes in the body are not words; a phrase may cross inline markup."""
    article = factories.article(
        title="Quarterly note",
        dek="Figures.",
        body='<p>Output <strong>rose</strong> at <a href="https://example.org/tables">the mine</a>.</p>',
    )
    for markup in ("strong", "href", "noopener", "tables", "example"):
        assert list(search_articles(text=markup)) == [], markup
    assert list(search_articles(text='"output rose"')) == [article]
    assert list(search_articles(text='"at the mine"')) == [article]


def test_tag_filters_offer_only_tags_on_live_articles(client, desk):
    """A mineral or country used only on a draft or a scheduled story is neither listed nor accepted."""
    secret_mineral = factories.mineral(name="Unobtainium", slug="unobtainium")
    secret_country = factories.country(name="Atlantis", slug="atlantis")
    factories.article(status=Article.Status.DRAFT, minerals=[secret_mineral])
    factories.article(publish_at=timezone.now() + timedelta(days=1), countries=[secret_country])
    html = client.get(reverse("articles:search")).content.decode()
    assert "Neodymium" in html and "Chile" in html
    assert "Unobtainium" not in html and "Atlantis" not in html
    form = SearchForm({"mineral": "unobtainium", "country": "atlantis"})
    assert not form.is_valid()
    assert form.has_error("mineral", code="invalid_choice") and form.has_error(
        "country", code="invalid_choice"
    )


def test_filter_selects_render_like_djangos_own_select():
    """The filters' Python-written <select> gives Django's markup: escaped labels, the chosen option
    selected."""
    import re

    from django import forms

    factories.section(name='Trade <& "Tariffs">', slug="trade")
    factories.section(name="Markets", slug="markets")
    form = SearchForm({"section": "trade"})
    assert form.is_valid()
    ours = str(form["section"])
    form.fields["section"].widget = forms.Select(choices=form.fields["section"].choices)
    assert re.sub(r"\s+", " ", ours) == re.sub(r"\s+", " ", str(form["section"]))
    assert '<option value="trade" selected>Trade &lt;&amp; &quot;Tariffs&quot;&gt;</option>' in ours


@pytest.mark.parametrize(
    "date_from, expected",
    [
        (date(2026, 2, 1), ["February note", "March note"]),  # months (PostgreSQL narrows by month)
        (date(2023, 6, 1), ["January note", "February note", "March note"]),  # years
        (date(1950, 1, 1), ["February note", "March note", "Old note", "January note"]),  # too long to narrow
    ],
)
def test_date_ranges_across_months_and_years_find_the_same_on_both_databases(date_from, expected):
    """Words with a start date find exactly the articles from that day on, however long the range."""
    for title, moment in [
        ("Old note", datetime(2020, 5, 1, 12)),
        ("January note", datetime(2026, 1, 31, 23, 30)),
        ("February note", datetime(2026, 2, 1, 0, 30)),
        ("March note", datetime(2026, 3, 3, 9)),
    ]:
        factories.article(title=title, publish_at=timezone.make_aware(moment))
    assert titles(search_articles(text="note", date_from=date_from)) == sorted(expected)
    assert titles(search_articles(text="note", date_from=date_from, date_to=date(2026, 2, 28))) == sorted(
        title for title in expected if title != "March note"
    )
