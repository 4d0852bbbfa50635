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
