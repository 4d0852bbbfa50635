"""The admin's Content-Security-Policy.

django-csp sets the public site's policy; the admin gets this one. Scripts run only from this
site's own files. The one inline script the admin needs, the rich-text editor's import map, is
allowed by its hash, and only when every module it maps is one of this site's static files: an
import map cannot run code of its own, and one that names nothing but our files cannot bring any
in. Anything else inline, a stored payload included, does not run.
"""

import base64
import hashlib
import json
import re

from django.conf import settings

ADMIN_POLICY = [
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
]
_IMPORT_MAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)


def _own_static(url):
    return isinstance(url, str) and url.startswith(settings.STATIC_URL) and ".." not in url


def trusted_import_map_hashes(html):
    """CSP hash sources for the import maps in `html` that map modules to our static files only."""
    hashes = []
    for match in _IMPORT_MAP.finditer(html):
        text = match.group(1)
        try:
            data = json.loads(text)
        except ValueError:
            continue
        targets = list(data.get("imports", {}).values()) + [
            url for scope in data.get("scopes", {}).values() for url in scope.values()
        ]
        if targets and all(_own_static(url) for url in targets):
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return hashes


def admin_policy(html=""):
    hashes = "".join(f" {source}" for source in trusted_import_map_hashes(html))
    return "; ".join(ADMIN_POLICY).format(hashes=hashes)


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix) and "Content-Security-Policy" not in response.headers:
            html = ""
            if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
                html = response.content.decode(response.charset or "utf-8", errors="replace")
            response.headers["Content-Security-Policy"] = admin_policy(html)
        return response
