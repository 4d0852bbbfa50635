"""The site's public address: every absolute link in pages, feeds, sitemaps and mail is built here.

Links use SITE_URL rather than the request's host, so they name the public address whichever
host, port or proxy served the request (and mail sent by a worker has no request at all).
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """`path` (root-relative, as reverse() and get_absolute_url() give it) on the site's public address;
    an address that is absolute already (a photo on object storage) as it is."""
    if urlsplit(path).scheme in ("http", "https"):
        return path
    return settings.SITE_URL + path


def new_message_id():
    """A unique Message-ID on the site's domain: Django's own names the machine (and process) that built
    the mail, which a worker's mail must not tell its readers."""
    return f"<{uuid.uuid4().hex}@{site_host()}>"


def site_host():
    """The public host name, for Message-IDs, List-Id and tag: URIs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def site_scheme():
    return urlsplit(settings.SITE_URL).scheme or "https"


def site_netloc():
    """Host and port, as sitemaps want them."""
    return urlsplit(settings.SITE_URL).netloc
