"""Reading what the site serves: XML documents (feeds, sitemaps) and the <head> of HTML pages."""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser


def parse_xml(response):
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)


class HeadParser(HTMLParser):
    """Collects <meta>, <link> and ld+json <script> elements of a served page."""

    def __init__(self):
        super().__init__()
        self.metas, self.links, self.json_ld = [], [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.metas.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = {"attrs": attrs, "text": ""}

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.json_ld.append(self._script)
            self._script = None


def parse_head(response):
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def json_ld_blocks(response):
    """Every JSON-LD block of a page as (parsed data, script attributes)."""
    return [(json.loads(block["text"]), block["attrs"]) for block in parse_head(response).json_ld]


def meta_content(response, attribute, name):
    """Every content of <meta {attribute}="{name}"> on the page, in order."""
    return [meta.get("content") for meta in parse_head(response).metas if meta.get(attribute) == name]


def links(response, rel):
    return [link for link in parse_head(response).links if link.get("rel") == rel]


class FormParser(HTMLParser):
    """What a browser would send for one <form>: each named control's current values."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self._textarea = self._select = None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image", "reset"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self._add(attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_values(response, form_id):
    """The values a browser would post from the form with `form_id` on the page, as {name: [values]}."""
    parser = FormParser(form_id)
    parser.feed(response.content.decode())
    return {name: values for name, values in parser.values.items()}
