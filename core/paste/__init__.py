"""Documents pasted or imported from word processors, Google Docs and web pages, tidied to the
structure the article editor has.

Word (and LibreOffice saving Word HTML) marks list paragraphs with `mso-list` styles and writes
the bullet or number into the text; Google Docs wraps the whole paste in a <b> and marks emphasis
with styles on <span>s; web pages bring <div>s, icons, buttons, lazy images and class names. Each
becomes plain editorial HTML here: headings from h2 down, real (nested) lists, paragraphs, links,
emphasis, tables, block quotes and images with a usable source. Styles and classes go.

This module decides structure only. What is safe is decided by core.sanitizer, which runs on its
output; the elements removed here with their content (NOT_CONTENT) are the sanitiser's list too.
"""

import re

from lxml import etree

from core.paste.elements import (
    drop_comments,
    drop_not_content,
    google_docs,
    headings,
    images,
    linkify_text,
    links,
    rename,
    styled_spans,
)
from core.paste.flow import drop_empty, flow, whitespace
from core.paste.lists import lists_in_lists, word_lists
from core.paste.tree import NOT_CONTENT

__all__ = ["NOT_CONTENT", "tidy"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_XML_DECLARATION = re.compile(r"<\?xml[^>]*>", re.I)


def tidy(raw, *, each_link=None, linkify=None):
    """`raw` HTML as the editor's structure. `each_link(attrs)` returns a link's attributes, or None to
    keep only its text; `linkify(text)` returns escaped HTML with web addresses linked."""
    body = _parse(raw)
    if body is None:
        return ""
    for step in (
        drop_not_content,
        word_lists,
        drop_comments,
        google_docs,
        styled_spans,
        rename,
        headings,
        images,
        lists_in_lists,
        flow,
    ):
        step(body)
    word_lists(body)  # again, for bulleted paragraphs that were loose text or <div>s until flow
    if linkify is not None:
        linkify_text(body, linkify)
    links(body, each_link)
    whitespace(body)
    drop_empty(body)
    return (body.text or "") + "".join(
        etree.tostring(child, method="html", encoding="unicode") for child in body
    )


def _parse(raw):
    raw = _XML_DECLARATION.sub("", _CONTROL.sub("", raw or ""))
    if not raw.strip():
        return None
    try:
        document = etree.HTML(raw)
    except (etree.ParserError, ValueError):
        return None
    return document.find("body") if document is not None else None
