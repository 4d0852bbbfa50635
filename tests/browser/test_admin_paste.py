"""Pasting a Word document into the admin's rich-text editor in a real browser keeps its structure."""

import json
from pathlib import Path

import pytest

from articles.models import Article
from tests.support import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CORPUS = Path(__file__).resolve().parent.parent / "support" / "paste_corpus"

EDITOR = ".ProseMirror[contenteditable=true]"
# What a paste from Word puts on the clipboard, delivered as the browser delivers a paste.
PASTE = """([html, EDITOR]) => {
  const data = new DataTransfer()
  data.setData("text/html", html)
  data.setData("text/plain", "pasted")
  const editor = document.querySelector(EDITOR)
  editor.focus()
  editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}))
}"""


def test_word_document_pasted_into_the_editor_is_saved_with_its_lists_headings_and_table(
    editor_page, live_server
):
    """The editor asks the server to tidy the paste, shows nested lists at once, and the saved body is the
    cleaned document."""
    page = editor_page
    section = f.section(name="Supply")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Cobalt supply outlook")
    editor = page.locator(EDITOR)
    editor.click()
    page.evaluate(PASTE, [(CORPUS / "word_desktop.html").read_text(), EDITOR])
    editor.locator("ul ul li").first.wait_for()
    assert editor.locator("h2").first.inner_text() == "Cobalt supply outlook"
    assert editor.locator("ol li").count() == 2
    assert "·" not in editor.inner_text()
    # The section's autocomplete widget has its own browser test; here the choice is set directly.
    page.evaluate(
        "([pk, name]) => document.querySelector('#id_section').add(new Option(name, pk, true, true))",
        [section.pk, section.name],
    )
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")

    body = Article.objects.get(slug="cobalt-supply-outlook").body
    expected = "".join(
        line.strip() for line in (CORPUS / "word_desktop.expected.html").read_text().splitlines()
    )
    assert body == expected, json.dumps([body, expected])
    assert page.problems == []
