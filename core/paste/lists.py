"""Lists as word processors write them: Word's `mso-list` paragraphs with the bullet or number in the
text, paragraphs that start with a bullet, and lists nested directly in lists (Google Docs)."""

import re

from lxml import etree

from core.paste.tree import HEADINGS, drop, is_blank, lstrip, new, strip_leading, tag_of, text_of

_MSO_LIST = re.compile(r"mso-list:\s*(l\d+)\s+level(\d+)", re.I)

_MSO_IGNORE = re.compile(r"mso-list:\s*ignore", re.I)

BULLETS = "•·▪◦‣●○■□◆◇➢➤✓✔–\uf0b7\uf0a7\uf0d8\uf076\uf0fc"

_BULLET_PARAGRAPH = re.compile(rf"^[\s\xa0]*[{BULLETS}][\s\xa0]+")

_ANY_MARKER = re.compile(
    rf"^[\s\xa0]*(?:[{BULLETS}o§]|\(?(?:\d{{1,3}}|[a-zA-Z]|[ivxlcdmIVXLCDM]{{1,6}})[.)])[\s\xa0]*"
)

_ORDERED_MARKER = re.compile(r"^\(?(\d{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]$")


def word_lists(body):
    # Numbered headings keep their heading; only the number goes.
    for heading in [h for h in body.iter(*HEADINGS) if _MSO_LIST.search(h.get("style", ""))]:
        _take_marker(heading)
    for parent in list(body.iter()):
        run = []
        for child in list(parent):
            is_item = _list_paragraph(child) is not None
            if is_item and (not run or is_blank(run[-1].tail)):
                run.append(child)
                continue
            if run:
                _build_list(run)
            run = [child] if is_item else []
        if run:
            _build_list(run)


def _take_marker(paragraph):
    """Remove Word's bullet or number from a list paragraph and return it."""
    marker = ""
    for span in [span for span in paragraph.iter("span") if _MSO_IGNORE.search(span.get("style", ""))]:
        marker += text_of(span)
        drop(span)
    # <![if !supportLists]>…<![endif]> (a comment to HTML parsers) surrounds the marker.
    for start in [
        c
        for c in paragraph.iter(etree.Comment)
        if (c.text or "").strip().lower().startswith("[if !supportlists]")
    ]:
        marker += start.tail or ""
        start.tail = None
        node = start.getnext()
        while node is not None and not (
            isinstance(node, etree._Comment) and (node.text or "").strip().lower().startswith("[endif]")
        ):
            following = node.getnext()
            marker += (text_of(node) if tag_of(node) else "") + (node.tail or "")
            node.getparent().remove(node)
            node = following
    if not marker.strip(" \xa0\t\r\n"):
        marker = strip_leading(paragraph, _ANY_MARKER)
    lstrip(paragraph)
    return marker.replace("\xa0", " ").strip()


def _list_kind(marker):
    """("ol", attrs) for a number or letter, ("ul", {}) for a bullet."""
    match = _ORDERED_MARKER.match(marker.replace(" ", ""))
    if not match:
        return "ul", {}
    value = match.group(1)
    if value.isdigit():
        return "ol", ({"start": value} if int(value) != 1 else {})
    if re.fullmatch(r"[ivxlcdm]+", value, re.I) and (len(value) > 1 or value in "iI"):
        return "ol", {"type": "i" if value.islower() else "I"}
    return "ol", {"type": "a" if value.islower() else "A"}


def _list_paragraph(element):
    """(list id, level) for a Word list paragraph or a paragraph starting with a bullet, else None."""
    if tag_of(element) != "p" or tag_of(element.getparent()) == "li":
        return None
    match = _MSO_LIST.search(element.get("style", ""))
    if match:
        return match.group(1), int(match.group(2))
    if _BULLET_PARAGRAPH.match(text_of(element)):
        return "bullets", 1
    return None


def _build_list(paragraphs):
    stack = []  # (level, list id, list element), outermost first
    for paragraph in paragraphs:
        list_id, level = _list_paragraph(paragraph)
        kind, attrs = _list_kind(_take_marker(paragraph))
        while stack and stack[-1][0] > level:
            stack.pop()
        if stack and stack[-1][0] == level and (stack[-1][2].tag != kind or stack[-1][1] != list_id):
            stack.pop()
        if not stack or stack[-1][0] < level:
            new_list = new(kind, **attrs)
            if stack:
                parent_list = stack[-1][2]
                if len(parent_list) == 0:
                    parent_list.append(new("li"))
                parent_list[-1].append(new_list)
            else:
                paragraph.addprevious(new_list)
            stack.append((level, list_id, new_list))
        item = new("li")
        stack[-1][2].append(item)
        paragraph.tail = None
        paragraph.attrib.clear()
        item.append(paragraph)


def lists_in_lists(body):
    # <ul><li>a</li><ul><li>b</li></ul></ul> (Google Docs, some editors) nests b under a.
    for inner in list(body.iter("ul", "ol")):
        parent = inner.getparent()
        if parent is None or parent.tag not in ("ul", "ol"):
            continue
        previous = inner.getprevious()
        if previous is None or previous.tag != "li":
            previous = new("li")
            inner.addprevious(previous)
        previous.append(inner)
