"""Reading a WordPress export (WXR, the RSS dialect Tools → Export writes) one piece at a time.

The file is read with lxml's incremental parser and each author, term and item is handed over as
soon as its closing tag is read, then cleared from the tree, so a gigabyte export is read in flat
memory. This module knows the format only (WXR 1.0 to 1.2, whose `wp:` and `excerpt:` namespaces
carry the version in their address); what the site makes of it is the importer app's business.

It is the second module that imports lxml (core.paste reshapes pasted documents with it): reading
an export is a different job, and the parser is already a dependency. Entities are not expanded,
no DTD is loaded and nothing is fetched from the network, so a hostile file cannot reach out.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
_WP = re.compile(r"^https?://wordpress\.org/export/[\d.]+/(excerpt/)?$")


class WXRError(ValueError):
    """The file is not a well-formed WordPress export; the message is one readable line."""


@dataclass
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def url(self):
        """The address the export's posts were published under."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category, tag or other term declared at the top of the export."""

    taxonomy: str  # "category", "post_tag", or another taxonomy's name
    slug: str
    name: str
    parent: str = ""  # the parent's slug
    description: str = ""


@dataclass
class Comment:
    id: int
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: int = 0
    user_id: int = 0
    meta: dict = field(default_factory=dict)


@dataclass
class Item:
    """A post, page, attachment, menu item or any other post type, with its terms, meta and comments."""

    id: int
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_name: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_parent: int = 0
    comment_status: str = ""
    attachment_url: str = ""
    password: str = ""
    is_sticky: bool = False
    terms: list = field(default_factory=list)  # (taxonomy, slug, name)
    meta: dict = field(default_factory=dict)  # key: [values], in the export's order
    comments: list = field(default_factory=list)

    def meta_value(self, key):
        values = self.meta.get(key)
        return values[0] if values else ""


def _name(tag):
    """ "wp:post_id", "content:encoded", "title"...: the tag as the export's prefixes spell it."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    if tag[0] != "{":
        return tag
    uri, local = tag[1:].split("}", 1)
    if match := _WP.match(uri):
        return ("excerpt:" if match.group(1) else "wp:") + local
    prefix = _NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else local


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _children(element):
    return ((_name(child.tag), child) for child in element)


def _author(element):
    values = {name: _text(child) for name, child in _children(element)}
    return Author(
        login=values.get("wp:author_login", ""),
        email=values.get("wp:author_email", ""),
        display_name=values.get("wp:author_display_name", ""),
        first_name=values.get("wp:author_first_name", ""),
        last_name=values.get("wp:author_last_name", ""),
    )


def _term(element, kind):
    values = {name: _text(child) for name, child in _children(element)}
    if kind == "wp:category":
        return Term(
            "category",
            values.get("wp:category_nicename", ""),
            values.get("wp:cat_name", ""),
            values.get("wp:category_parent", ""),
            values.get("wp:category_description", ""),
        )
    if kind == "wp:tag":
        return Term(
            "post_tag",
            values.get("wp:tag_slug", ""),
            values.get("wp:tag_name", ""),
            "",
            values.get("wp:tag_description", ""),
        )
    return Term(
        values.get("wp:term_taxonomy", ""),
        values.get("wp:term_slug", ""),
        values.get("wp:term_name", ""),
        values.get("wp:term_parent", ""),
        values.get("wp:term_description", ""),
    )


def _meta(element):
    values = {name: (child.text or "") for name, child in _children(element)}
    return values.get("wp:meta_key", "").strip(), values.get("wp:meta_value", "")


def _comment(element):
    comment = Comment(id=0)
    for name, child in _children(element):
        if name == "wp:commentmeta":
            key, value = _meta(child)
            comment.meta[key] = value
        elif name == "wp:comment_content":
            comment.content = child.text or ""
        elif name.startswith("wp:comment_"):
            attribute = name[len("wp:comment_") :].lower()
            if attribute in ("id", "parent", "user_id"):
                setattr(comment, attribute, _int(_text(child)))
            elif attribute in (
                "author",
                "author_email",
                "author_url",
                "date",
                "date_gmt",
                "approved",
                "type",
            ):
                setattr(comment, attribute, _text(child))
            elif attribute == "author_ip":
                comment.author_ip = _text(child)
    return comment


_ITEM_TEXT = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "guid": "guid",
    "wp:post_type": "post_type",
    "wp:status": "status",
    "wp:post_name": "post_name",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:comment_status": "comment_status",
    "wp:attachment_url": "attachment_url",
    "wp:post_password": "password",
}


def _item(element):
    item = Item(id=0)
    for name, child in _children(element):
        if name in _ITEM_TEXT:
            setattr(item, _ITEM_TEXT[name], _text(child))
        elif name == "content:encoded":
            item.content = child.text or ""
        elif name == "excerpt:encoded":
            item.excerpt = child.text or ""
        elif name == "wp:post_id":
            item.id = _int(_text(child))
        elif name == "wp:post_parent":
            item.post_parent = _int(_text(child))
        elif name == "wp:is_sticky":
            item.is_sticky = _text(child) == "1"
        elif name == "category":
            item.terms.append((child.get("domain", ""), child.get("nicename", ""), _text(child)))
        elif name == "wp:postmeta":
            key, value = _meta(child)
            item.meta.setdefault(key, []).append(value)
        elif name == "wp:comment":
            item.comments.append(_comment(child))
    return item


_SITE_FIELDS = {
    "title": "title",
    "link": "link",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


def read(path):
    """Yield the export's pieces in file order: the Site (once its header is read, before any
    author, term or item), then Author, Term and Item objects. WXRError for a file that is not a
    well-formed WordPress export, raised where the parser finds the fault."""
    site = Site()
    site_given = False
    try:
        events = etree.iterparse(
            str(path),
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        )
        depth = 0
        seen_wp = False
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    if _name(element.tag) != "rss":
                        raise WXRError(f"{path}: not a WordPress export (its root element is not <rss>).")
                    seen_wp = any(_WP.match(uri or "") for uri in element.nsmap.values())
                    if not seen_wp:
                        raise WXRError(f"{path}: not a WordPress export (no wordpress.org/export namespace).")
                continue
            depth -= 1
            if depth != 2:  # only the channel's own children are pieces; deeper ones wait for them
                continue
            name = _name(element.tag)
            piece = None
            if name in _SITE_FIELDS and not site_given:
                setattr(site, _SITE_FIELDS[name], _text(element))
            elif name == "wp:author":
                piece = _author(element)
            elif name in ("wp:category", "wp:tag", "wp:term"):
                piece = _term(element, name)
            elif name == "item":
                piece = _item(element)
            if piece is not None and not site_given:
                site_given = True
                yield site
            if piece is not None:
                yield piece
            # Drop what has been read: the element's content and every sibling before it.
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
        if not site_given:
            yield site
    except etree.XMLSyntaxError as error:
        message = str(error).split("\n")[0]
        raise WXRError(f"{path}: not well-formed XML ({message}).") from None
    except OSError as error:
        raise WXRError(f"{path}: cannot be read ({error.strerror or error}).") from None
