"""
newsroom's one HTML sanitiser: the only module that imports nh3.

Article bodies and comment bodies are cleaned here when they are saved, never at render time, on
every path (the admin's editor, article_save, a plain model save, imports). Moving to another
sanitiser means changing this file alone.

nh3 (the Python binding of ammonia, html5ever's allowlist sanitiser) replaced bleach: bleach has
no way to remove an element together with its content, so with `strip` the text inside <script>,
<style> or Word's <xml> was kept as article text; nh3 removes such elements whole
(`clean_content_tags`), parses as browsers do, and is maintained. Pasted documents are first tidied
to the editor's structure by core.paste; nh3 then decides, alone, what is kept.
"""

from urllib.parse import urlsplit

import nh3
from django.utils.html import Urlizer

from core import paste
from core.site import site_host

ALLOWED_PROTOCOLS = {"http", "https", "mailto"}

ARTICLE_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "code",
    "pre",
    "mark",
    "small",
    "a",
    "blockquote",
    "cite",
    "q",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
}
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "type"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# rel and target are set by _article_link alone; these are the only values a link may carry.
ARTICLE_LINK_VALUES = {"a": {"rel": {"noopener"}, "target": {"_blank"}}}

COMMENT_TAGS = {"p", "br", "strong", "b", "em", "i", "a", "blockquote", "code"}
COMMENT_ATTRIBUTES = {"a": {"href"}}
COMMENT_LINK_REL = "nofollow ugc noopener"


class BodyTooLong(ValueError):
    """Raw input over the configured limit is refused rather than truncated."""


class _WebAddresses(Urlizer):
    """Django's urlize, for web addresses only: an email address in the text stays text."""

    @staticmethod
    def is_email_simple(value):
        return False


_link_web_addresses = _WebAddresses()


def _linkify(text):
    return _link_web_addresses(text, autoescape=True)


def _is_external(href):
    parts = urlsplit(href or "")
    if parts.scheme not in ("http", "https"):
        return False
    return parts.hostname != site_host()


def _article_link(attrs):
    """Links off the site open in a new tab, without handing it this page (rel=noopener)."""
    if _is_external(attrs["href"]):
        return {**attrs, "rel": "noopener", "target": "_blank"}
    return attrs


_article_cleaner = nh3.Cleaner(
    tags=ARTICLE_TAGS,
    clean_content_tags=set(paste.NOT_CONTENT),
    attributes=ARTICLE_ATTRIBUTES,
    tag_attribute_values=ARTICLE_LINK_VALUES,
    url_schemes=ALLOWED_PROTOCOLS,
    strip_comments=True,
    link_rel=None,
)
_comment_cleaner = nh3.Cleaner(
    tags=COMMENT_TAGS,
    clean_content_tags=set(paste.NOT_CONTENT),
    attributes=COMMENT_ATTRIBUTES,
    url_schemes=ALLOWED_PROTOCOLS,
    strip_comments=True,
    link_rel=COMMENT_LINK_REL,
)


def check_length(raw, limit):
    if raw and len(raw) > limit:
        raise BodyTooLong(f"The text is {len(raw):,} characters; the limit is {limit:,}.")


def clean_article_html(raw):
    """Clean an article body from the rich-text editor, a paste or an import to the article allowlist."""
    if not raw:
        return ""
    html = raw
    # Two rounds: on malformed input, what the HTML5 parser makes of the first round's output can
    # leave an element empty or misplaced; the second round settles it, so saving again changes nothing.
    for _ in range(2):
        html = _article_cleaner.clean(paste.tidy(html, each_link=_article_link, linkify=_linkify)).strip()
    return html


def clean_comment_text(raw):
    """Turn a reader's plain-text comment into safe HTML paragraphs with linked web addresses.

    Whatever HTML the reader typed is escaped and shown as text, never executed.
    """
    paragraphs = [block.strip() for block in (raw or "").replace("\r\n", "\n").split("\n\n")]
    html = "".join(
        "<p>" + "<br>".join(_linkify(line) for line in block.split("\n")) + "</p>"
        for block in paragraphs
        if block
    )
    return _comment_cleaner.clean(html)
