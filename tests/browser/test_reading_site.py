"""The reading site in a real browser: pages load under the CSP with no errors and work on a phone."""

import pytest

from articles.models import Source
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_article_page_in_chromium_has_no_console_or_csp_errors(live_server, page):
    """An article with sources, tags and disclaimer renders in Chromium with nothing blocked."""
    source = f.source(
        name="Harbour News Agency",
        kind=Source.Kind.STATE_MEDIA,
        default_disclaimer=f.disclaimer(text="{source} is state media."),
    )
    article = f.article(
        title="Magnet export checks widen", sources=[source], minerals=[f.mineral(name="Terbium")]
    )
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("h1").inner_text() == "Magnet export checks widen"
    assert page.get_by_text("Harbour News Agency is state media.").is_visible()
    assert page.locator(".badge--state-media").is_visible()
    page.get_by_role("link", name="Terbium").click()
    assert page.url.endswith("/minerals/" + article.minerals.first().slug + "/")
    assert page.get_by_role("link", name="Magnet export checks widen").is_visible()
    assert page.problems == []


def test_front_page_fits_a_phone_screen(live_server, browser):
    """On a 375px-wide screen the front page has no horizontal scrolling."""
    f.article(title="Graphite anode plant opens", is_featured=True)
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    assert phone.get_by_role("link", name="Graphite anode plant opens").first.is_visible()
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    context.close()
