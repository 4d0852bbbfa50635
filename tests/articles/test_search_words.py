"""Search in the desk's own words: section and country aliases find their stories, a renamed alias
re-indexes them, and a query that finds nothing is offered the closest words search knows."""

import pytest
from django.urls import reverse

from articles.search import search_articles, suggestion
from tests.support import factories

pytestmark = pytest.mark.django_db


def found(text):
    return list(search_articles(text=text)[:20])


def test_a_section_alias_finds_the_sections_stories():
    """ "export controls" finds a Policy story whose own words never say it, through the section's aliases."""
    policy = factories.section(name="Policy", aliases="export controls, trade policy")
    story = factories.article(
        title="Licences for seven heavy rare earths", section=policy, body="<p>Quotas.</p>"
    )
    factories.article(title="Copper prices climb", body="<p>Markets.</p>")
    assert found('"export controls"') == [story]
    assert found("trade policy") == [story]


def test_a_country_alias_finds_the_countrys_stories():
    """A country's other name ("PRC") finds the stories tagged with it."""
    china = factories.country(name="China", aliases="PRC, People's Republic")
    story = factories.article(title="Gallium licences tighten")
    story.countries.add(china)
    assert found("PRC") == [story]


def test_changing_a_section_alias_reindexes_its_articles():
    """An alias added later finds the section's existing stories at once; one taken away no longer does."""
    section = factories.section(name="Supply")
    story = factories.article(title="Refinery output", section=section)
    assert found("chokepoints") == []
    section.aliases = "chokepoints"
    section.save()
    assert found("chokepoints") == [story]
    section.aliases = ""
    section.save()
    assert found("chokepoints") == []


def test_a_misspelt_query_is_offered_the_closest_known_words():
    """ "gallum exprt" is offered "gallium export" from the headlines and subjects search knows."""
    factories.article(title="Gallium export licences reviewed")
    assert suggestion("gallum exprt") == "gallium export"
    assert suggestion("gallium export") is None


def test_suggestions_never_offer_unpublished_words():
    """A word only a draft's headline holds is never suggested to readers."""
    factories.article(title="Hafnium embargo", status="draft")
    assert suggestion("hafnum") is None


def test_the_results_page_says_did_you_mean_when_nothing_matched(client):
    """The empty results page links to the suggested query."""
    factories.article(title="Antimony shipments resume")
    html = client.get(reverse("articles:search"), {"q": "antimny"}).content.decode()
    assert "Did you mean" in html and "?q=antimony" in html
    html = client.get(reverse("articles:search"), {"q": "antimony"}).content.decode()
    assert "Did you mean" not in html
