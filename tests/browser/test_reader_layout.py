"""A reader's newsroom in Chromium at 1280 and 390 CSS pixels: front, article, listing, search and
newsletter pages fit the screen, keep the header within its budget, pass axe-core's serious and
critical checks, load the first picture first; a posted comment's acknowledgement is where the
reader is looking; a like is remembered; the phone menu opens without script.

With NEWSROOM_SCREENSHOTS=1 each page is also saved as a full-page screenshot under
docs/screenshots/reader/ (<page>-<width>.png), the committed pictures a reviewer can look at without
running anything; without it the tests leave the checkout as it was.
"""

import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from articles.services import article_save
from comments.models import Comment
from tests.support import factories as f
from tests.support import factories_comments as cf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# axe-core, vendored (see tests/browser/vendor/axe-core/VERSION and the README).
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "reader"
WRITE_SCREENSHOTS = os.environ.get("NEWSROOM_SCREENSHOTS") == "1"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# On a phone the header is one short row (name, Search, Menu): at most this tall, in CSS pixels.
PHONE_HEADER_BUDGET = 64
# On a wide screen the name, the navigation and the search box share one row of at most this height.
DESKTOP_HEADER_BUDGET = 72

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""

PICTURES = """() => Array.from(document.querySelectorAll("main img")).map(img => {
  const box = img.getBoundingClientRect();
  return {loading: img.getAttribute("loading"), priority: img.getAttribute("fetchpriority"),
          width: img.getAttribute("width"), height: img.getAttribute("height"),
          top: box.top + window.scrollY};
})"""


@pytest.fixture
def desk(settings, isolated_media, monkeypatch):
    """A small desk: pictured stories across two sections, tagged with minerals and a country, one with a
    table, and a discussion; photos served from the test's own media folder."""
    settings.ROOT_URLCONF = "tests.browser.reader_urls"
    settings.SESSION_COOKIE_SECURE = False
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    # The demo's five sections, so the header carries as many links as the demo's does.
    supply, policy = f.section(name="Supply", slug="supply"), f.section(name="Policy", slug="policy")
    for name in ("Markets", "Mining", "Technology"):
        f.section(name=name, slug=name.lower())
    nd = f.mineral(name="Neodymium", slug="neodymium", symbol="Nd")
    dy = f.mineral(name="Dysprosium", slug="dysprosium", symbol="Dy")
    china = f.country(name="China", slug="china")
    clara = f.author(name="Clara Venn")
    colours = ["#2f5d62", "#5e8b7e", "#a7c4bc", "#7d5a50", "#b4846c", "#e5b299", "#3e497a"]
    stories = []
    for n, colour in enumerate(colours):
        article = f.article(
            title=f"Magnet makers weigh export licences, week {n + 1}",
            dek=(
                "Licences for rare-earth magnets take longer to clear, "
                "and buyers in Europe and Japan are drawing down stocks."
            ),
            body=(
                "<p>Customs officers have slowed clearance of magnet shipments "
                "while exporters wait for licences.</p>"
                # Wider than a phone: the table scrolls in its own box, never the page.
                "<table><caption>Magnet exports, tonnes</caption>"
                "<thead><tr><th>Period</th><th>Tonnes</th><th>Change</th><th>Licences issued</th>"
                "<th>Licences pending</th><th>Average wait, days</th><th>Share to Europe</th></tr></thead>"
                "<tbody><tr><td>This month</td><td>4,380</td><td>−18%</td><td>1,204</td><td>2,310</td>"
                "<td>47</td><td>31%</td></tr>"
                "<tr><td>Last month</td><td>5,340</td><td>+3%</td><td>1,655</td><td>1,870</td>"
                "<td>39</td><td>28%</td></tr></tbody></table>"
                "<h2>Where the backlog bites</h2><p>"
                + "Buyers of sintered magnets say stocks cover six weeks. " * 30
                + "</p>"
            ),
            section=supply if n % 2 == 0 else policy,
            authors=[clara],
            minerals=[nd, dy] if n < 4 else [nd],
            countries=[china],
            is_featured=n == 0,
            publish_at=timezone.now() - timedelta(hours=n + 1),
        )
        buffer = io.BytesIO()
        Image.new("RGB", (960, 540), colour).save(buffer, "JPEG")
        article.hero_image.save(f"{article.slug}.jpg", ContentFile(buffer.getvalue()), save=False)
        article.hero_alt = "A freight yard of shipping containers"
        article_save(article=article)
        stories.append(article)
    f.article(
        title="Cobalt hydroxide payables rise", section=supply, minerals=[dy]
    )  # a card without a picture
    for n in range(3):
        cf.comment(
            article=stories[0],
            author_name=f"Reader {n}",
            body_text=f"Licences took us eleven weeks in case {n}.",
        )
    yield stories
    connections.close_all()


def screen(browser, viewport, **options):
    context = browser.new_context(
        viewport=viewport, is_mobile=viewport["width"] < 600, has_touch=viewport["width"] < 600, **options
    )
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return context, page


def check_layout(page, viewport, name):
    """The checks every page gets at every width, then its screenshot."""
    width = viewport["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        f"{name} scrolls sideways at {width}px"
    )
    header = page.locator(".site-header").bounding_box()
    if width < 600:
        assert header["height"] <= PHONE_HEADER_BUDGET, f"{name}: phone header {header['height']}px"
        assert (
            page.locator(".header-search-link").is_visible()
            and page.locator(".site-menu__toggle").is_visible()
        )
    else:
        assert header["height"] <= DESKTOP_HEADER_BUDGET, f"{name}: header {header['height']}px"
        rows = [
            page.locator(selector).bounding_box()
            for selector in (".site-name", ".site-nav--wide", ".site-header .search-box")
        ]
        middles = [box["y"] + box["height"] / 2 for box in rows]
        assert max(middles) - min(middles) < 16, f"{name}: header items on separate rows {rows}"
    # Never two invitations to sign up in one screenful (the front page's and the footer's were back to back).
    boxes = sorted(
        box["y"]
        for box in (
            page.locator(".signup-box:visible").nth(n).bounding_box()
            for n in range(page.locator(".signup-box:visible").count())
        )
    )
    assert all(
        later - earlier > viewport["height"] for earlier, later in zip(boxes, boxes[1:], strict=False)
    ), f"{name}: {boxes}"
    violations = page.evaluate(RUN_AXE)
    assert violations == [], f"{name} at {width}px: {json.dumps(violations, indent=1)}"
    screenshot(page, f"{name}-{width}.png", full_page=True)


def screenshot(page, filename, *, full_page=False):
    if not WRITE_SCREENSHOTS:
        return
    if full_page:
        # Lazy pictures load as they near the viewport: pass by each one first, so the picture shows them.
        page.evaluate("() => document.querySelectorAll('main img').forEach(img => img.scrollIntoView())")
        page.wait_for_load_state("networkidle")
        page.evaluate("() => window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / filename), full_page=full_page)


def check_pictures(page, viewport, name, *, above_fold):
    """The first picture is eager with fetchpriority="high" and a size; every other one stays lazy."""
    pictures = page.evaluate(PICTURES)
    assert pictures, name
    first, *rest = pictures
    assert (
        (first["loading"], first["priority"]) == ("eager", "high") and first["width"] and first["height"]
    ), name
    assert all(picture["loading"] == "lazy" and picture["priority"] is None for picture in rest), name
    if above_fold:
        assert first["top"] < viewport["height"], f"{name}: first picture at {first['top']}px"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_reader_pages_fit_pass_axe_and_load_the_first_picture_first(live_server, browser, desk, viewport):
    """Front, article, listing, search and newsletter pages: no sideways scroll, the header within budget,
    no serious or critical axe-core violations, the first picture eager and high priority; every other
    public page fits and passes axe-core as well."""
    context, page = screen(browser, viewport)
    wide = viewport["width"] >= 600
    pages = [
        ("front", "/", True),
        ("article", desk[0].get_absolute_url(), wide),
        ("section", "/section/supply/", True),
        ("search", "/search/?q=Nd", None),
        ("newsletter", "/newsletter/", None),
    ]
    for name, path, above_fold in pages:
        page.goto(live_server.url + path)
        page.evaluate(AXE)
        if above_fold is not None:
            check_pictures(page, viewport, name, above_fold=above_fold)
        check_layout(page, viewport, name)
    # The other public pages: they fit and pass axe-core too (no screenshot).
    author = desk[0].authors.first()
    for path in (
        "/minerals/neodymium/",
        "/countries/china/",
        author.get_absolute_url(),
        "/minerals/",
        "/countries/",
        "/sources/",
        "/corrections/",
        "/newsletter/archive/",
        "/privacy/",
        "/no-such-page/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
        page.evaluate(AXE)
        violations = page.evaluate(RUN_AXE)
        assert violations == [], f"{path} at {viewport['width']}px: {json.dumps(violations, indent=1)}"
    # The unknown address's own 404 is the only resource that failed.
    assert [problem for problem in page.problems if "404 (Not Found)" in problem] == [page.problems[-1]]
    page.problems.pop()
    # The search found its results through Neodymium's symbol and says so, with the query as typed.
    page.goto(live_server.url + "/search/?q=Nd")
    assert page.locator(".search-result__via").first.inner_text() == "Found through Neodymium (Nd)"
    assert "“Nd”" in page.locator("#results-heading").inner_text()
    assert page.problems == []
    context.close()


def test_comment_acknowledgement_is_in_view_and_a_like_is_remembered(live_server, browser, desk):
    """On a phone, after posting, the acknowledgement is in the viewport with focus on it and the held
    comment shown back; a like still shows as pressed after a reload."""
    context, page = screen(browser, PHONE)
    url = live_server.url + desk[0].get_absolute_url()
    page.goto(url)
    first_like = page.locator("form.like-form button").first
    first_like.click()
    expect(first_like).to_have_attribute("aria-pressed", "true")
    page.reload()
    assert page.locator("form.like-form button").first.get_attribute("aria-pressed") == "true"
    assert "like-button--liked" in page.locator("form.like-form button").first.get_attribute("class")

    page.fill("#id_author_name", "Mina Ortiz")
    page.fill("#id_author_email", "mina@example.org")
    page.fill("#id_body_text", "Our licences took nine weeks.")
    expect(page.locator("#comment-form input[name=token]")).not_to_have_value("")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url("**#comments")
    ack = page.locator("#comment-ack")
    expect(ack).to_be_focused()
    box = ack.bounding_box()
    assert 0 <= box["y"] and box["y"] + min(box["height"], 200) <= PHONE["height"]
    assert "awaiting moderation" in ack.inner_text()
    assert "Our licences took nine weeks." in ack.inner_text() and "Mina Ortiz" in ack.inner_text()
    assert Comment.objects.get(author_email="mina@example.org").status == Comment.Status.PENDING
    screenshot(page, "comment-acknowledgement-390.png")
    assert page.problems == []
    context.close()


def test_phone_menu_opens_without_script_and_search_is_one_tap_away(live_server, browser, desk):
    """With script off, the phone's Menu opens to the sections; Search is a single tap to the search form."""
    context, page = screen(browser, PHONE, java_script_enabled=False)
    page.goto(live_server.url + "/")
    assert not page.locator(".site-nav--menu a", has_text="Policy").is_visible()
    page.click(".site-menu__toggle")
    page.locator(".site-nav--menu a", has_text="Policy").click()
    page.wait_for_url("**/section/policy/")
    page.click(".header-search-link")
    page.wait_for_url("**/search/")
    assert page.locator("#id_q").is_visible()
    context.close()
