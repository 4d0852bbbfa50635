"""Side-by-side comparison of two texts with the changed words marked.

Texts are compared line by line first (paragraphs, list items, one citation per line), then word
by word within the lines that changed, so a long body costs little and a moved paragraph reads
as one. The result is escaped HTML: removed words in <del> on the left, added words in <ins> on
the right. Article bodies are compared as their text (link targets and images written out), so
marking never breaks their markup.
"""

import re
from difflib import SequenceMatcher
from html.parser import HTMLParser
from itertools import zip_longest

from django.utils.html import escape
from django.utils.safestring import mark_safe

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "ul",
    "ol",
    "hr",
    "pre",
}


class _TextOf(HTMLParser):
    """Text of a body: one line per block, one line per table row with its cells joined by " | "
    (the sanitiser wraps a cell's words in <p>, which inside a cell must not start a line)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []
        self.cell_depth = 0
        self.cells_in_row = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.parts.append("\n")
            self.cells_in_row = 0
        elif tag in ("td", "th"):
            self.parts.append(" | " if self.cells_in_row else "")
            self.cells_in_row += 1
            self.cell_depth += 1
        elif tag in _BLOCKS or tag in ("br", "caption"):
            self.parts.append(" " if self.cell_depth else "\n")
        elif tag == "li":
            self.parts.append(" • " if self.cell_depth else "\n• ")
        elif tag == "img":
            self.parts.append(f"[image: {attrs.get('alt') or ''} {attrs.get('src') or ''}]")
        if tag == "a":
            self.links.append(attrs.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.parts.append(f" [{href}]")
        elif tag in ("td", "th"):
            self.cell_depth = max(self.cell_depth - 1, 0)
        elif tag in _BLOCKS or tag == "caption":
            self.parts.append(" " if self.cell_depth else "\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html):
    """An article body as lines of text, with link targets and images written out and each table row on a
    line of its own, cells side by side."""
    parser = _TextOf()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _marked(tokens, tag):
    text = "".join(tokens)
    return escape(text) if not text.strip() else f"<{tag}>{escape(text)}</{tag}>"


def _word_opcodes(a, b):
    """SequenceMatcher's opcodes, with a space left alone between two changes folded into them,
    so "City Press Group" → "Harbour Holdings" reads as one change rather than three."""
    merged = []
    for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if (
            op[0] != "equal"
            and len(merged) >= 2
            and merged[-1][0] == "equal"
            and merged[-2][0] != "equal"
            and not "".join(a[merged[-1][1] : merged[-1][2]]).strip()
        ):
            merged[-2:] = [("replace", merged[-2][1], op[2], merged[-2][3], op[4])]
        else:
            merged.append(op)
    return merged


def word_diff(old, new):
    """(old, new) as escaped HTML with removed words in <del> and added words in <ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in _word_opcodes(a, b):
        if op == "equal":
            left.append(escape("".join(a[i1:i2])))
            right.append(escape("".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(_marked(a[i1:i2], "del"))
        if j2 > j1:
            right.append(_marked(b[j1:j2], "ins"))
    return "".join(left), "".join(right)


def text_diff(old, new):
    """Two multi-line texts side by side, as safe HTML (keep line breaks with white-space: pre-wrap)."""
    a, b = old.splitlines(), new.splitlines()
    left, right = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left += [escape(line) for line in a[i1:i2]]
            right += [escape(line) for line in b[j1:j2]]
            continue
        for old_line, new_line in zip_longest(a[i1:i2], b[j1:j2]):
            if old_line is not None and new_line is not None:
                marked_old, marked_new = word_diff(old_line, new_line)
                left.append(marked_old)
                right.append(marked_new)
            elif old_line is not None:
                left.append(_marked([old_line], "del"))
            else:
                right.append(_marked([new_line], "ins"))
    return mark_safe("\n".join(left)), mark_safe("\n".join(right))
