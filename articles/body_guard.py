"""The last guard on an article body's structure: a save that would turn a caption or a quote's credit
into ordinary text is refused, not stored.

The body editor can hold everything the sanitiser keeps, so this only fires when an editor (an old
cached script, a browser extension, a future schema change) rewrites a body it does not understand.
Only what no editing command does is treated as damage: a table's <caption>, a figure's <figcaption>
or a quote's <cite> whose words are still in the same table, figure or quote but no longer in that
element. Deleting such a part (its words go with it) or the whole table is an edit, and is allowed.
Header rows are not guarded: the editor's own "Header row" command moves a row out of <thead>, and
from the saved HTML alone that edit and damage look the same.
"""

import re
from collections import Counter
from html.parser import HTMLParser

# Each guarded part, the element that holds it, and what an editor calls it.
GUARDED = {
    "caption": ("table", "table caption"),
    "figcaption": ("figure", "picture caption"),
    "cite": ("blockquote", "quote's credit"),
}
VOID = frozenset({"br", "hr", "img", "wbr"})


def _words(text):
    return re.sub(r"\s+", " ", text).strip()


class _Element:
    __slots__ = ("tag", "parent", "text")

    def __init__(self, tag, parent):
        self.tag, self.parent, self.text = tag, parent, []


class _Structure(HTMLParser):
    """The text of every guarded part and of every holder, read with the standard library's parser."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.parts = Counter()  # (tag, words) of each guarded part inside its holder
        self.holders = {holder: [] for holder, _ in GUARDED.values()}
        self.feed(html or "")
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(_Element(tag, self.open[-1] if self.open else None))

    def handle_endtag(self, tag):
        if not any(element.tag == tag for element in self.open):
            return
        while self.open:
            element = self.open.pop()
            self._closed(element)
            if element.tag == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element.text.append(data)

    def close(self):
        super().close()
        while self.open:
            self._closed(self.open.pop())

    def _closed(self, element):
        words = _words("".join(element.text))
        if element.tag in self.holders:
            self.holders[element.tag].append(words)
        guarded = GUARDED.get(element.tag)
        if guarded and words and any(e.tag == guarded[0] for e in self.open):
            self.parts[(element.tag, words)] += 1


def has_guarded_parts(body):
    """Whether `body` holds anything guarded: a cheap test that spares most saves the comparison."""
    return any(f"<{tag}>" in (body or "") for tag in GUARDED)


def lost_parts(before, after):
    """What `after` lost of `before`'s guarded parts while keeping their words: (name, words) pairs."""
    old, new = _Structure(before), _Structure(after)
    lost = []
    for (tag, words), count in old.parts.items():
        if new.parts[(tag, words)] >= count:
            continue
        holder, name = GUARDED[tag]
        if any(words in text for text in new.holders[holder]):
            lost.append((name, words))
    return lost
