"""
newsroom's one HTML sanitiser: the only module that imports bleach.

Article bodies and comment bodies are cleaned here when they are saved, never at
render time. Moving to another sanitiser means changing this file alone.
"""

from urllib.parse import urlsplit

import bleach
from bleach.linkifier import LinkifyFilter
from django.utils.html import escape

from core.site import site_host

ALLOWED_PROTOCOLS = ["http", "https", "mailto"]

ARTICLE_TAGS = [
    "h2", "h3", "h4", "p", "br", "hr",
    "ul", "ol", "li",
    "strong", "b", "em", "i", "u", "s", "sub", "sup", "code", "pre", "mark", "small",
    "a", "blockquote", "cite", "q",
    "figure", "figcaption", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
]
ARTICLE_ATTRIBUTES = {
    "a": ["href", "title", "rel", "target"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "ol": ["start"],
    "blockquote": ["cite"],
    "q": ["cite"],
}

COMMENT_TAGS = ["p", "br", "strong", "b", "em", "i", "a", "blockquote", "code"]
COMMENT_ATTRIBUTES = {"a": ["href", "rel"]}


class BodyTooLong(ValueError):
    """Raw input over the configured limit is refused rather than truncated."""


def _is_external(href):
    parts = urlsplit(href or "")
    if parts.scheme not in ("http", "https"):
        return False
    return parts.hostname != site_host()


def _article_link_attrs(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if _is_external(href):
        attrs[(None, "rel")] = "noopener"
        attrs[(None, "target")] = "_blank"
    else:
        attrs.pop((None, "target"), None)
        attrs.pop((None, "rel"), None)
    return attrs


def _comment_link_attrs(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://", "mailto:")):
        return None  # not a link a reader may post: keep the text, drop the anchor
    attrs[(None, "rel")] = "nofollow ugc noopener"
    attrs.pop((None, "target"), None)
    return attrs


def _cleaner(*, tags, attributes, link_attrs, skip_tags):
    """An allowlist cleaner that also links bare URLs, with `link_attrs` deciding each link's attributes."""
    return bleach.Cleaner(
        tags=tags, attributes=attributes, protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True,
        filters=[
            lambda source: LinkifyFilter(source, callbacks=[link_attrs], skip_tags=skip_tags, parse_email=False)
        ],
    )


_article_cleaner = _cleaner(
    tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES, link_attrs=_article_link_attrs, skip_tags=["pre", "code"]
)
_comment_cleaner = _cleaner(
    tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES, link_attrs=_comment_link_attrs, skip_tags=["code"]
)


def check_length(raw, limit):
    if raw and len(raw) > limit:
        raise BodyTooLong(f"The text is {len(raw):,} characters; the limit is {limit:,}.")


def clean_article_html(raw):
    """Clean an article body from the rich-text editor (or a paste) to the article allowlist."""
    if not raw:
        return ""
    return _article_cleaner.clean(raw).strip()


def clean_comment_text(raw):
    """Turn a reader's plain-text comment into safe HTML paragraphs with linked URLs.

    Whatever HTML the reader typed is escaped and shown as text, never executed.
    """
    paragraphs = [block.strip() for block in (raw or "").replace("\r\n", "\n").split("\n\n")]
    html = "".join(
        "<p>" + "<br>".join(escape(line) for line in block.split("\n")) + "</p>"
        for block in paragraphs
        if block
    )
    return _comment_cleaner.clean(html)
