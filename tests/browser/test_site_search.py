"""Search in a real browser: the header box, highlighted results and a filter, under the CSP."""

import pytest

from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_header_search_highlights_results_and_a_filter_narrows_them(live_server, page):
    """A reader searches from the header, sees marked matches, then narrows to one section."""
    supply = f.section(name="Supply", slug="supply")
    markets = f.section(name="Markets", slug="markets")
    f.article(
        title="Gallium export licences granted",
        body="<p>Three refiners may ship gallium again.</p>",
        section=supply,
    )
    f.article(
        title="Gallium prices slip", body="<p>Traders expect more gallium on the market.</p>", section=markets
    )
    f.article(title="Cobalt stockpile grows", section=markets)

    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search articles").fill("gallium")
    page.get_by_role("searchbox", name="Search articles").press("Enter")
    page.wait_for_url("**/search/?q=gallium")

    results = page.locator(".search-result")
    assert results.count() == 2
    assert page.get_by_role("heading", name="2 results for “gallium”").is_visible()
    assert results.first.locator("h3 mark").first.inner_text() == "Gallium"
    assert results.first.locator(".search-result__snippet mark").first.inner_text() == "gallium"
    assert "Cobalt stockpile grows" not in page.content()

    page.get_by_label("Section", exact=True).select_option(label="Markets")
    page.locator(".search-form").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=gallium&section=markets**")

    assert page.get_by_role("heading", name="1 result for “gallium”").is_visible()
    assert [title.inner_text() for title in page.locator(".search-result h3").all()] == [
        "Gallium prices slip"
    ]
    assert page.get_by_label("Search for").input_value() == "gallium"
    assert page.get_by_label("Section", exact=True).input_value() == markets.slug
    assert page.problems == []
