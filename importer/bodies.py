"""A WordPress post's content as an article body: what WordPress does when it shows a post, done once.

Classic-editor content is stored without paragraph tags; WordPress adds them on every view
(`wpautop`): blank lines become paragraphs and single line breaks <br>, except inside block
elements and <pre>. Block-editor content carries its paragraphs already, inside `<!-- wp:… -->`
comments, which go. `[caption]` becomes a figure with its caption and `[embed]` a link; any other
shortcode is left as text and named, so the report can list it. The article's save then runs the
one sanitiser (core.sanitizer) over the result, as it does for every body.
"""

import re
from html import escape, unescape

_ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
    r"|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer"
    r"|nav|figure|figcaption|details|menu|summary)"
)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_MORE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.S)
# Kept as written: a <pre>'s lines, and the figures made from [caption] (WordPress makes those after
# its paragraphs, so never puts paragraph tags inside them).
_PRE = re.compile(r"<(pre|figure)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_SHORTCODE = re.compile(r"\[([A-Za-z][\w-]*)(?=[\s\]/])[^\]]*\]")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_CAPTION = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
_CAPTION_IMAGE = re.compile(r"((?:<a\s[^>]+>\s*)?<img\s[^>]+>(?:\s*</a>)?)(.*)", re.S | re.I)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.M)


def is_block_content(content):
    return "<!-- wp:" in content


def _attributes(text):
    return {
        name.lower(): next(v for v in values if v is not None) for name, *values in _ATTRIBUTE.findall(text)
    }


def _figure(match):
    attributes = _attributes(match.group(1))
    inner = match.group(2).strip()
    caption = attributes.get("caption", "")
    if not caption and (found := _CAPTION_IMAGE.match(inner)):
        inner, caption = found.group(1), found.group(2).strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{inner}{figcaption}</figure>"


def _embed_link(match):
    url = unescape(match.group(1).strip())
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


def _bare_url_link(match):
    url = unescape(match.group(1))
    return f'<a href="{escape(url)}">{escape(url)}</a>'


def autop(text, *, br=True):
    """WordPress's wpautop: paragraphs from blank lines, <br> from single line breaks, in Python."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    pre_blocks = []

    def keep_pre(match):
        pre_blocks.append(match.group(0))
        return f"<pre wp-pre-tag-{len(pre_blocks) - 1}></pre>"

    text = _PRE.sub(keep_pre, text)
    # A line break inside a tag is not a line of text.
    text = _TAG.sub(lambda match: match.group(0).replace("\n", " "), text)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(rf"(<{_ALL_BLOCKS}[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{_ALL_BLOCKS}>)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{_ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{_ALL_BLOCKS}[^>]*>)", r"\1", text)
    text = re.sub(rf"(</?{_ALL_BLOCKS}[^>]*>)\s*</p>", r"\1", text)
    if br:
        text = re.sub(r"<br\s*/?>", "<br />", text)
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"(</?{_ALL_BLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    for number, block in enumerate(pre_blocks):
        text = text.replace(f"<pre wp-pre-tag-{number}></pre>", block)
    return text


def convert(content):
    """(HTML for the article's body, names of the shortcodes left as text) from a post's content."""
    block = is_block_content(content)
    text = _BLOCK_COMMENT.sub("", content) if block else content
    text = _MORE.sub("", text)
    text = _CAPTION.sub(_figure, text)
    text = _EMBED.sub(_embed_link, text)
    text = _BARE_URL_LINE.sub(_bare_url_link, text)
    left = sorted({name.lower() for name in _SHORTCODE.findall(text)})
    if not block:
        text = autop(text)
    return text.strip(), left


def plain_text(html):
    """Text of a bit of HTML (an excerpt, a title, a comment), entities decoded, whitespace as written."""
    text = re.sub(r"<br\s*/?>", "\n", html or "", flags=re.I)
    text = re.sub(r"</p\s*>", "\n\n", text, flags=re.I)
    text = re.sub(r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", _link_text, text, flags=re.I | re.S)
    return unescape(_TAG.sub("", text)).strip()


def _link_text(match):
    href, words = unescape(match.group(1)), _TAG.sub("", match.group(2)).strip()
    return words if not words or words == href or href in words else f"{words} ({href})"


def one_line(html, limit):
    """Plain text of `html` on one line, cut at a word within `limit` characters; (text, was cut)."""
    text = " ".join(plain_text(html).split())
    if len(text) <= limit:
        return text, False
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…", True
