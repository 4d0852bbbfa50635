"""What any page tells link previews and search engines: Open Graph and Twitter card tags, and
JSON-LD scripts escaped so that no string in the data can end the script element."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The characters json_script escapes, so that no string in the data can close the
# <script> element or open a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def truncate(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def page_open_graph(*, title, description, url):
    """(attribute, name, content) triples for a page that is not an article."""
    return [
        ("property", "og:type", "website"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]


def json_ld_script(data):
    """A <script type="application/ld+json"> element, escaped as json_script escapes its data.

    It carries no CSP nonce: browsers never run a data block, so script-src does not apply to it.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
