"""What each element of a pasted document becomes: Word's and Google Docs' styling turned into the
elements that mean it, headings under the page's title, images with a source a browser can load,
links with the attributes the sanitiser's rules give them, and web addresses in the text linked."""

import re
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from core.paste.tree import (
    BLOCKS,
    HEADINGS,
    NOT_CONTENT,
    NOT_LINKED,
    RENAMED,
    UNWRAPPED,
    drop,
    is_blank,
    new,
    tag_of,
    text_of,
    unwrap,
)

# (?<![-\w]): Word writes "mso-bidi-font-weight:normal" on bold text, which is no style of the text itself.
_NOT_BOLD = re.compile(r"(?<![-\w])font-weight:\s*(normal|[1-4]00)\b", re.I)

_STYLE_PHRASES = (
    (re.compile(r"(?<![-\w])font-weight:\s*(bold|bolder|[6-9]00)\b", re.I), "strong"),
    (re.compile(r"(?<![-\w])font-style:\s*(italic|oblique)", re.I), "em"),
    (re.compile(r"(?<![-\w])text-decoration(-line)?:[^;]*underline", re.I), "u"),
    (re.compile(r"(?<![-\w])text-decoration(-line)?:[^;]*line-through", re.I), "s"),
    (re.compile(r"(?<![-\w])vertical-align:\s*super", re.I), "sup"),
    (re.compile(r"(?<![-\w])vertical-align:\s*sub\b", re.I), "sub"),
)

_USABLE_SRC = re.compile(r"^(?:https?://[^\s/]|/(?!/))", re.I)


def drop_not_content(body):
    for element in list(body.iter()):
        tag = tag_of(element).lower()
        if tag in NOT_CONTENT or tag.rpartition(":")[2] == "xml":
            drop(element)
    for instruction in list(body.iter(etree.ProcessingInstruction)):
        drop(instruction)


def drop_comments(body):
    for comment in list(body.iter(etree.Comment)):
        drop(comment)


def google_docs(body):
    # Docs wraps a whole paste in <b style="font-weight:normal" id="docs-internal-guid-…">.
    for wrapper in list(body.iter("b")):
        if wrapper.get("id", "").startswith("docs-internal-guid") or _NOT_BOLD.search(
            wrapper.get("style", "")
        ):
            unwrap(wrapper)


def styled_spans(body):
    """Emphasis written as a style (Google Docs, web pages) becomes the element that means it."""
    for span in list(body.iter("span", "font")):
        style = span.get("style", "")
        phrases = [tag for pattern, tag in _STYLE_PHRASES if pattern.search(style)]
        if not phrases or any(tag_of(d) in BLOCKS for d in span.iterdescendants()):
            continue
        if any(tag_of(a) == "a" for a in span.iterancestors()):
            phrases = [tag for tag in phrases if tag != "u"]  # a link is underlined already
            if not phrases:
                continue
        span.tag = phrases[0]
        span.attrib.clear()
        for tag in phrases[1:]:
            inner = new(tag)
            inner.text, span.text = span.text, None
            for child in list(span):
                inner.append(child)
            span.append(inner)


def rename(body):
    for element in list(body.iter()):
        tag = tag_of(element)
        if not tag:
            continue
        css = element.get("class", "")
        if tag in RENAMED:
            element.tag = RENAMED[tag]
            element.attrib.clear()
        elif tag == "p" and "MsoTitle" in css:
            element.tag = "h1"
        elif tag == "p" and re.search(r"\bMso(Intense)?Quote\b", css):
            element.tag = "blockquote"
        elif tag in UNWRAPPED or ":" in tag:
            unwrap(element)
            continue
        if tag_of(element) in BLOCKS and tag_of(element) not in ("td", "th", "ol", "col", "colgroup"):
            element.attrib.clear()  # classes, styles, ids, dir and the like: nothing the site shows
    # Consecutive quote paragraphs are one quotation.
    for quote in list(body.iter("blockquote")):
        previous = quote.getprevious()
        if (
            previous is not None
            and previous.tag == "blockquote"
            and is_blank(previous.tail)
            and not len(quote.findall("p"))
        ):
            paragraph = new("p")
            paragraph.text, quote.text = quote.text, None
            for child in list(quote):
                paragraph.append(child)
            previous.append(paragraph)
            drop(quote)


def headings(body):
    """The page's title is its h1; a document's own headings start at h2, and go no deeper than h4."""
    levels = [int(h.tag[1]) for h in body.iter(*HEADINGS)]
    shift = 2 - min(levels) if levels and min(levels) < 2 else 0
    for heading in list(body.iter(*HEADINGS)):
        heading.tag = f"h{min(4, max(2, int(heading.tag[1]) + shift))}"


def images(body):
    """Images keep a source a reader's browser can load (lazy-loading pages hide it in data-src)."""
    for image in list(body.iter("img")):
        candidates = [image.get(name, "") for name in ("src", "data-src", "data-lazy-src", "data-original")]
        candidates += [entry.strip().split(" ")[0] for entry in image.get("srcset", "").split(",")]
        candidates = ["https:" + c.strip() if c.strip().startswith("//") else c.strip() for c in candidates]
        usable = next((c for c in candidates if _USABLE_SRC.match(c)), None)
        if usable is None:
            drop(image)
            continue
        kept = {name: image.get(name) for name in ("alt", "title", "width", "height") if image.get(name)}
        image.attrib.clear()
        image.attrib.update({"src": usable, **kept})
    for figure in list(body.iter("figure")):
        if not list(figure.iter("img")):
            if is_blank(text_of(figure)):
                drop(figure)
            else:
                for caption in figure.iter("figcaption"):
                    caption.tag = "p"
                figure.tag = "div"  # its caption stays, as a paragraph


def linkify_text(body, linkify):
    def may_hold_a_link(text):
        return text and ("." in text or ":" in text)

    def unlinked(element):
        return any(tag_of(a) in NOT_LINKED for a in (element, *element.iterancestors()))

    targets = []
    for element in body.iter():
        if not tag_of(element):
            continue
        if may_hold_a_link(element.text) and not unlinked(element):
            targets.append((element, "text"))
        parent = element.getparent()
        if may_hold_a_link(element.tail) and parent is not None and not unlinked(parent):
            targets.append((element, "tail"))
    for element, attr in targets:
        linked = linkify(getattr(element, attr))
        if "<a " not in linked:
            continue
        holder = etree.HTML(f"<div>{linked}</div>").find("body/div")
        setattr(element, attr, holder.text)
        pieces = list(holder)
        if attr == "text":
            for index, piece in enumerate(pieces):
                element.insert(index, piece)
        else:
            for piece in reversed(pieces):
                element.addnext(piece)


def _google_redirect(href):
    parts = urlsplit(href)
    if parts.hostname in ("www.google.com", "google.com") and parts.path == "/url":
        target = parse_qs(parts.query).get("q", [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    return href


def links(body, each_link):
    for link in list(body.iter("a")):
        href = _google_redirect((link.get("href") or "").strip())
        if not href:
            unwrap(link)  # Word's bookmarks (<a name="_Toc…">) and other anchors without a target
            continue
        attrs = {"href": href, **({"title": link.get("title")} if link.get("title") else {})}
        if each_link is not None:
            attrs = each_link(attrs)
        if attrs is None:
            unwrap(link)
            continue
        link.attrib.clear()
        link.attrib.update(attrs)
