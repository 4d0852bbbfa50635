"""Pictures from a copy of the WordPress uploads folder (`--uploads`), never from the old server.

An upload's address is matched to its file by the part of its path after `wp-content/uploads/`
(an attachment's own `_wp_attached_file` first). The featured image becomes the article's hero
photo through the same check as an upload in the admin (core.images.validate_photo); its
renditions are made when the article's save commits (articles.photos). Images in a body that
point at the old uploads address are stored under `imported/` in the site's media storage,
checked the same way, and re-pointed; a resized copy WordPress made (`photo-300x200.jpg`) that
is not in the folder falls back to its original. What cannot be found or is refused is reported.
"""

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage

from core.images import validate_photo

_UPLOADS = "wp-content/uploads/"
_RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_BODY_IMAGE = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*|<a\b[^>]*?\bhref\s*=\s*)(["'])([^"']+)\2""", re.I)
IMPORTED_PREFIX = "imported/"


def uploads_path(url):
    """The path of an upload inside the uploads folder, from its address; None for other addresses."""
    path = unquote(urlsplit(unescape(url or "").strip()).path)
    _, found, rest = path.partition(_UPLOADS)
    return rest.lstrip("/") or None if found else None


def original(relative):
    """The original's path of a copy WordPress resized (`photo-300x200.jpg` → `photo.jpg`)."""
    return _RESIZED.sub("", relative)


def referenced_uploads(html):
    """The originals' paths of every upload `html` shows or links to."""
    found = (uploads_path(match.group(3)) for match in _BODY_IMAGE.finditer(html))
    return {original(relative) for relative in found if relative}


class Uploads:
    """The copy of wp-content/uploads given with --uploads (or none), and what was found in it."""

    def __init__(self, root):
        self.root = Path(root).resolve() if root else None

    def find(self, relative):
        """The file for `relative` (or its original, for a resized copy), or None."""
        if self.root is None or not relative:
            return None
        for candidate in (relative, original(relative)):
            path = (self.root / candidate).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return path
        return None


class Refused(Exception):
    """A picture was found but is not one the site accepts; the message says why."""


def check(path):
    """Run the upload check on a file; Refused with the check's message."""
    with path.open("rb") as handle:
        try:
            validate_photo(File(handle, name=path.name))
        except ValidationError as error:
            raise Refused(" ".join(error.messages)) from None


def attach_hero(article, path):
    """Give the unsaved `article` the photo at `path` as its hero (stored now, as an upload is)."""
    with path.open("rb") as handle:
        article.hero_image.save(path.name, File(handle), save=False)
    return article.hero_image.name


def store_body_image(relative, path):
    """The media address of the imported copy of an image in a body; stored once, whatever the runs."""
    name = IMPORTED_PREFIX + relative
    if not default_storage.exists(name):
        with path.open("rb") as handle:
            name = default_storage.save(name, File(handle))
    return default_storage.url(name)


def repoint_body(html, uploads, *, dry_run):
    """(body with its old uploads addresses re-pointed, how many pictures were imported, [(old address,
    why it was not)]) for the
    images (and links to images) in `html` that point at the old uploads folder."""
    missing = []
    seen = {}

    def replace(match):
        url = match.group(3)
        relative = uploads_path(url)
        if relative is None:
            return match.group(0)
        is_image = match.group(1).lower().startswith("<img")
        if relative not in seen:
            path = uploads.find(relative)
            seen[relative] = None
            if path is None:
                if is_image:
                    missing.append((url, "not in the uploads folder"))
            else:
                try:
                    check(path)
                except Refused as error:
                    if is_image:
                        missing.append((url, str(error)))
                else:
                    seen[relative] = (
                        default_storage.url(IMPORTED_PREFIX + relative)
                        if dry_run
                        else store_body_image(relative, path)
                    )
        new = seen[relative]
        return match.group(0) if new is None else f"{match.group(1)}{match.group(2)}{new}{match.group(2)}"

    html = _BODY_IMAGE.sub(replace, html)
    return html, sum(1 for new in seen.values() if new is not None), missing
