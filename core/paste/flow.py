"""Blocks and paragraphs as the editor keeps them: loose text in paragraphs, no list or table inside a
paragraph, table parts where tables have them, single spaces, and nothing left empty."""

import re

from core.paste.tree import (
    BLOCKS,
    HEADINGS,
    PHRASES,
    SECTIONING,
    TEXT_BLOCKS,
    append_text,
    drop,
    in_pre,
    is_blank,
    is_block,
    lstrip,
    new,
    rstrip,
    tag_of,
    text_of,
    unwrap,
)

_SPACES = re.compile(r"[ \t\r\n\f]+")

_TABLE_PARTS = {
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr"},
    "thead": {"tr"},
    "tbody": {"tr"},
    "tfoot": {"tr"},
    "tr": {"td", "th"},
    "colgroup": {"col"},
}


def _table_parts(body):
    """What a table holds outside its cells is shown before it, as browsers do ("foster parenting")."""
    for part in list(body.iter("tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col")):
        if next(part.iterancestors("table"), None) is None:
            unwrap(part)  # a row or cell without its table is only its content
    for part in list(body.iter(*_TABLE_PARTS)):
        table = part if part.tag == "table" else next(part.iterancestors("table"), None)
        if table is None:  # moved out of its table along with what held it
            unwrap(part)
            continue
        for child in list(part):
            if tag_of(child) not in _TABLE_PARTS[part.tag]:
                tail, child.tail = child.tail, None
                table.addprevious(child)
                if not is_blank(tail):
                    append_text(child, tail)
        if not is_blank(part.text):
            moved = new("p")
            moved.text = part.text
            table.addprevious(moved)
        part.text = None
        for child in part:
            if is_blank(child.tail):
                child.tail = None
            for span in ("colspan", "rowspan"):
                if child.get(span, "").strip() == "1":  # the default, written out by some editors
                    del child.attrib[span]


def wrap_runs(container):
    """Put the loose text and phrasing elements of `container` into paragraphs between its blocks."""
    text, container.text = container.text, None
    children = list(container)
    for child in children:
        container.remove(child)
    paragraph = None

    def add_text(value):
        nonlocal paragraph
        if is_blank(value):
            if paragraph is not None and value:
                append_text(paragraph, value)
            return
        if paragraph is None:
            paragraph = new("p")
            container.append(paragraph)
        append_text(paragraph, value)

    add_text(text)
    for child in children:
        tail, child.tail = child.tail, None
        if is_block(child):
            paragraph = None
            container.append(child)
        elif tag_of(child) == "br" and paragraph is None:
            pass  # a line break between blocks is only spacing
        else:
            if paragraph is None:
                paragraph = new("p")
                container.append(paragraph)
            paragraph.append(child)
        add_text(tail)


def flow(body):
    _table_parts(body)
    # Innermost first, so a container's own children are settled before it is.
    for element in reversed(list(body.iter())):
        tag = tag_of(element)
        has_blocks = any(is_block(child) for child in element)
        if element is body:
            wrap_runs(body)
        elif tag in SECTIONING:
            if has_blocks:
                wrap_runs(element)
                unwrap(element)
            elif is_blank(text_of(element)) and not list(element.iter("img")):
                drop(element)
            else:
                element.tag = "p"
                element.attrib.clear()
        elif tag == "blockquote":
            wrap_runs(element)
        elif tag in ("p", *HEADINGS, "caption", "figcaption", "pre") and has_blocks:
            # A paragraph cannot hold a list or a table: browsers would close it, so split it here.
            wrap_runs(element)
            unwrap(element)
        elif tag == "a" and has_blocks:
            wrap_runs(element)  # a link around whole paragraphs (a card) keeps them as paragraphs
        elif tag in PHRASES and has_blocks:
            unwrap(element)
        elif tag in ("li", "td", "th"):
            # As the editor keeps them: an item or a cell holds paragraphs.
            wrap_runs(element)


def whitespace(body):
    """Word wraps its source lines: runs of spaces and newlines read as one space, none at a block's edges."""
    for element in list(body.iter()):
        parent = element.getparent()
        if element.text and not in_pre(element):
            element.text = _SPACES.sub(" ", element.text)
        if element.tail and parent is not None and not in_pre(parent):
            element.tail = _SPACES.sub(" ", element.tail)
        if is_block(element) and element.tail is not None and not element.tail.strip(" "):
            element.tail = None
        if (
            tag_of(element) in BLOCKS - TEXT_BLOCKS
            and element.text is not None
            and not element.text.strip(" ")
        ):
            element.text = None
    for block in body.iter(*(TEXT_BLOCKS - {"pre"})):
        lstrip(block, " \xa0")
        rstrip(block, " \xa0")


def drop_empty(body):
    """Paragraphs, headings and emphasis with nothing to read, such as Word's spacing paragraphs."""
    for element in reversed(list(body.iter())):
        tag = tag_of(element)
        if element is body or not tag:
            continue
        if tag in PHRASES | {
            "p",
            *HEADINGS,
            "blockquote",
            "li",
            "figcaption",
            "ul",
            "ol",
            "table",
            "figure",
            "pre",
        }:
            if is_blank(text_of(element)) and not list(element.iter("img", "hr", "table")):
                drop(element)
