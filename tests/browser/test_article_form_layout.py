"""The article form is made for writing at 1,280 px: no sideways scrolling, full-width headline and
standfirst, a body editor with room to write, and citations reordered by buttons."""

import pytest

from articles.models import Article
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def story():
    return f.article(
        title="Magnet licences slow",
        body="<p>One paragraph.</p>",
        sources=[f.source(name="Harbour News Agency"), f.source(name="Meridian Wire")],
    )


def open_form(page, live_server, article):
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true]").wait_for()


def test_change_form_fits_1280_pixels_with_room_to_write(editor_page, live_server, story):
    """No horizontal scroll; headline and standfirst span the form; the body editor opens tall."""
    page = editor_page
    open_form(page, live_server, story)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    row = page.locator(".form-row.field-title").bounding_box()
    for field in ("#id_title", "#id_dek"):
        assert page.locator(field).bounding_box()["width"] >= 0.6 * row["width"], field
    assert page.locator(".ProseMirror[contenteditable=true]").bounding_box()["height"] >= 300
    assert page.problems == []


def test_citations_move_up_and_down_with_buttons(editor_page, live_server, story):
    """Moving the second citation up makes it the lead source on save; there is no number to type."""
    page = editor_page
    open_form(page, live_server, story)
    assert page.locator("#citations-group input[name$='-position']:visible").count() == 0
    page.locator("#citations-group tr.form-row.has_original").nth(1).get_by_role(
        "button", name="Move up"
    ).click()
    page.click("input[name=_continue]")
    page.wait_for_url(f"**/admin/articles/article/{story.pk}/change/")
    names = (
        Article.objects.get(pk=story.pk).citations.order_by("position").values_list("source__name", flat=True)
    )
    assert list(names) == ["Meridian Wire", "Harbour News Agency"]
    assert page.problems == []
