"""The newsletter pages in a real browser."""

import pytest

from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_long_topic_names_stay_beside_their_checkbox(live_server, page):
    """A country name that wraps stays in one column with its checkbox, and the page has no errors."""
    countries = [
        f.country(name=name)
        for name in (
            "Australia",
            "Chile",
            "China",
            "Democratic Republic of the Congo",
            "Indonesia",
            "Japan",
            "Malaysia",
            "Myanmar",
            "Thailand",
            "United Kingdom",
            "United States",
        )
    ]
    f.article(countries=countries)  # topics on offer are the tags of live stories
    page.goto(live_server.url + "/newsletter/")
    label = page.locator("label", has_text="Democratic Republic of the Congo")
    # A label split across two columns has line boxes far apart left to right.
    lefts = label.evaluate("el => Array.from(el.getClientRects()).map(rect => rect.left)")
    assert max(lefts) - min(lefts) < 40
    assert page.problems == []
