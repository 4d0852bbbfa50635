"""What any page tells link previews and search engines: Open Graph and Twitter card tags, and
JSON-LD scripts escaped so that no string in the data can end the script element."""

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The characters json_script escapes, so that no string in the data can close the
# <script> element or open a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def truncate(text, limit):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def iso_datetime(value):
    """A moment as machines read it (<time datetime>, sitemaps, feeds, JSON-LD, Open Graph): ISO 8601 in
    the site's time zone, to the second (HTML allows at most three fraction digits; nobody needs any)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def open_graph_image(picture, alt=""):
    """og:image with its size (previews lay the card out before fetching it) and, when known, its words."""
    tags = [("property", "og:image", picture.url)]
    if picture.width and picture.height:
        tags += [
            ("property", "og:image:width", str(picture.width)),
            ("property", "og:image:height", str(picture.height)),
        ]
    if alt:
        tags.append(("property", "og:image:alt", alt))
    return tags


def page_open_graph(*, title, description, url, image=None):
    """(attribute, name, content) triples for a page that is not an article; `image` a core.models.Picture."""
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
    ]
    if image is not None:
        tags += open_graph_image(image)
    return tags + [
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
