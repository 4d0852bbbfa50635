"""The admin desk in a real browser: an editor writes in the rich-text editor and publishes."""

import pytest

from articles.models import Article
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_editor_writes_in_the_rich_text_editor_and_publishes(editor_page, live_server):
    """The body is typed into the ProseMirror editor, bold text survives, and the article goes live."""
    page = editor_page
    section = f.section(name="Supply")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Cobalt hydroxide payables climb")
    assert page.input_value("#id_slug") == "cobalt-hydroxide-payables-climb"
    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.type("Buyers pay more for ")
    page.keyboard.press("Control+b")
    page.keyboard.type("intermediate")
    page.keyboard.press("Control+b")
    page.keyboard.type(" cobalt.")
    page.click("#id_section + .select2")  # the autocomplete widget
    page.fill(".select2-search__field", "Sup")
    page.click(f".select2-results__option:has-text('{section.name}')")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")

    article = Article.objects.get(slug="cobalt-hydroxide-payables-climb")
    assert article.is_live
    assert "<strong>intermediate</strong>" in article.body and "cobalt." in article.body
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(".article__body strong").inner_text() == "intermediate"
    assert page.problems == []
