"""Readership in a real browser: reading an article on a page from the page cache counts, and the count
reaches the editors' readership page."""

import time
from pathlib import Path

import pytest
from django.db import connections

from readership.models import ArticleReads
from readership.stores import flush_reads
from tests.support import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Chromium's headless agent names itself as such, and the beacon drops it as a robot's.
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


def axe_violations(page):
    page.evaluate(AXE)
    return page.evaluate(SERIOUS)


@pytest.fixture(autouse=True)
def cached_site(settings):
    settings.NEWSROOM_PAGE_CACHE = settings.NEWSROOM_FRAGMENT_CACHE = True
    yield
    connections.close_all()


def counted_views(article, *, expected, seconds=15):
    """Flush as the worker would until `expected` views of `article` are in the rollups (or time is up)."""
    deadline = time.monotonic() + seconds
    views = 0
    while time.monotonic() < deadline:
        flush_reads()
        views = sum(ArticleReads.objects.filter(article=article).values_list("views", flat=True))
        if views >= expected:
            break
        time.sleep(0.2)
    return views


def test_a_read_on_a_cached_page_reaches_the_editors_page(browser, editor_page, live_server):
    """Two readers' views of a cached article page are counted, and the editor sees them."""
    article = f.article(title="Gallium refiners add capacity")
    url = live_server.url + article.get_absolute_url()
    for _ in range(2):
        context = browser.new_context(user_agent=DESKTOP)
        reader = context.new_page()
        problems = []
        reader.on(
            "console", lambda message, found=problems: message.type == "error" and found.append(message.text)
        )
        response = reader.goto(url)
        reader.wait_for_load_state("networkidle")
        assert not problems
        context.close()
    assert response.headers.get("x-page-cache") == "hit"
    assert counted_views(article, expected=2) == 2
    editor_page.goto(live_server.url + "/admin/readership/articlereads/?period=today")
    row = (
        editor_page.locator("#readership-articles").locator("xpath=..").locator("tr", has_text=article.title)
    )
    assert row.locator("td").first.text_content() == "2"
