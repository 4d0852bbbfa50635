"""The tree a pasted document is reshaped in: which elements are which, and small moves on it.

Plain lxml.etree elements: lxml.html's element classes cost a Python call per node visited.
"""

from lxml import etree

# Elements whose content is no text for readers: removed with everything inside them.
NOT_CONTENT = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "title",
        "head",
        "meta",
        "link",
        "base",
        "xml",
        "svg",
        "math",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "canvas",
        "audio",
        "video",
        "map",
        "button",
        "select",
        "option",
        "optgroup",
        "datalist",
        "textarea",
        "input",
        "output",
        "progress",
        "meter",
        "dialog",
    }
)

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

# Containers of a web page or a word processor's sections: their paragraphs are kept, they are not.
SECTIONING = frozenset(
    {
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "address",
        "center",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
        "hgroup",
        "dl",
        "dt",
        "dd",
        "body",
    }
)

BLOCKS = (
    frozenset(
        {
            "p",
            *HEADINGS,
            "ul",
            "ol",
            "li",
            "blockquote",
            "pre",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "td",
            "th",
            "caption",
            "colgroup",
            "col",
            "figure",
            "figcaption",
            "hr",
        }
    )
    | SECTIONING
)

TEXT_BLOCKS = frozenset({"p", *HEADINGS, "li", "td", "th", "caption", "figcaption", "blockquote", "pre"})

PHRASES = frozenset({"strong", "em", "u", "s", "sub", "sup", "code", "mark", "small", "q", "cite", "a"})

# Kept for their content only. <source> and <track> are here, not in NOT_CONTENT: a parser that
# does not know them as empty elements puts the <img> that follows inside them.
UNWRAPPED = frozenset(
    {
        "span",
        "font",
        "picture",
        "source",
        "track",
        "wbr",
        "abbr",
        "acronym",
        "ins",
        "big",
        "label",
        "time",
        "data",
    }
)

RENAMED = {"b": "strong", "i": "em", "strike": "s", "del": "s", "tt": "code", "kbd": "code", "samp": "code"}

NOT_LINKED = frozenset({"a", "pre", "code"})  # text here is never turned into a link


def is_blank(text):
    return not text or not text.replace("\xa0", " ").strip()


def tag_of(node):
    return node.tag if isinstance(node.tag, str) else ""


def is_block(node):
    # A link may hold whole paragraphs (a card on a web page); then it is one block itself.
    return tag_of(node) in BLOCKS or (
        tag_of(node) == "a" and any(tag_of(d) in BLOCKS for d in node.iterdescendants())
    )


def text_of(element):
    """The text inside `element`, as a reader sees it (comments are not text)."""
    return "".join(element.itertext())


def _put_before(element, text):
    """Add `text` just before `element`: to its previous sibling's tail, or its parent's text."""
    if text:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent = element.getparent()
            parent.text = (parent.text or "") + text


def unwrap(element):
    """Remove the element, keeping its text and children where it stood."""
    parent = element.getparent()
    if parent is None:
        return
    _put_before(element, element.text)
    element.text = None
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
        element.tail = None
    index = parent.index(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    _put_before(element, element.tail)
    element.tail = None
    parent.remove(element)


def drop(element):
    """Remove the element and everything in it, keeping the text that follows it."""
    parent = element.getparent()
    if parent is not None:
        _put_before(element, element.tail)
        element.tail = None
        parent.remove(element)


def new(tag, **attrs):
    return etree.Element(tag, attrs)


def append_text(element, value):
    if len(element):
        element[-1].tail = (element[-1].tail or "") + value
    else:
        element.text = (element.text or "") + value


def in_pre(node):
    return any(tag_of(a) == "pre" for a in (node, *node.iterancestors()))


def text_slots(element):
    """(node, "text" or "tail") for every piece of text inside `element`, in reading order."""
    yield element, "text"
    for child in element:
        if tag_of(child):
            yield from text_slots(child)
        yield child, "tail"


def strip_leading(element, pattern):
    """Remove `pattern` from the start of the element's first words; returns what it removed."""
    for node, attr in text_slots(element):
        text = getattr(node, attr)
        if is_blank(text):
            continue
        match = pattern.match(text)
        if not match:
            return ""
        setattr(node, attr, text[match.end() :])
        return match.group(0)
    return ""


def lstrip(element, chars=" \xa0\t\r\n"):
    for node, attr in text_slots(element):
        text = getattr(node, attr)
        if text:
            setattr(node, attr, text.lstrip(chars))
            if text.lstrip(chars):
                return


def rstrip(element, chars=" "):
    for node, attr in reversed(list(text_slots(element))):
        text = getattr(node, attr)
        if text:
            setattr(node, attr, text.rstrip(chars))
            if text.rstrip(chars):
                return
