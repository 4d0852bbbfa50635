"""Old WordPress addresses: recorded by the import, answering 301 to where the content lives now.

The import records each post's permalink path (whatever the site's permalink structure was), `?p=ID`
and the permalink with each former slug (`_wp_old_slug`), and each category and tag archive whose term
became a section, mineral or country (nested categories by their whole path and by their own slug).

OldAddressMiddleware asks nothing of a request that a view answers: it looks an address up only when
the site would answer 404 (an old permalink, whatever the WordPress site's permalink structure was,
a former slug, a category or tag archive or its feed), or when the front page is asked for with
WordPress's own query (`/?p=123`, `/?feed=rss2`). It sits inside the anonymous page cache
(core.middleware.PageCacheMiddleware), which stores only 200 answers and never a front page with
a query it does not know: a redirect is worked out afresh every time, so it follows the article
to its current address and stops the moment the article is taken down.
"""

from collections import Counter
from urllib.parse import parse_qs, unquote, urlsplit

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from core.forms import storable_text
from importer.models import OldAddress

# WordPress's own feed addresses, whatever its permalink settings; /feed/ itself is ours already.
_FEEDS = {"/feed/rss2", "/feed/rss", "/feed/rdf", "/rss", "/rss2", "/comments/feed", "/feed/rss2/atom"}


def normalise(path):
    """A path as stored and looked up: decoded, without its trailing slash ("/" stays "/")."""
    return unquote(path).rstrip("/") or "/"


def query_key(path, post_id):
    """How `?p=ID` on `path` is stored."""
    return normalise(path).rstrip("/") + f"/?p={post_id}"


def path_of(url):
    """The stored form of an address's path (an absolute URL or a path)."""
    return normalise(urlsplit(url).path or "/")


def record_post(*, site_url, site_key, item, article):
    """Record the post's old addresses as pointing at `article`; returns a Counter of them by kind."""
    base = urlsplit(site_url).path
    found = []
    query_id = parse_qs(urlsplit(item.link).query).get("p", [""])[0]
    permalink = path_of(item.link) if item.link and not query_id else ""
    if permalink:
        found.append(("permalinks", permalink))
    found.append(("?p=", query_key(base or "/", item.id)))
    name = unquote(item.post_name)
    for old in item.meta.get("_wp_old_slug", []):
        old = unquote(old.strip())
        if not old:
            continue
        if name and permalink.endswith("/" + name):
            found.append(("old slugs", permalink[: -len(name)] + old))
        elif name and f"/{name}/" in permalink + "/":
            found.append(("old slugs", (permalink + "/").replace(f"/{name}/", f"/{old}/", 1).rstrip("/")))
        else:
            found.append(("old slugs", normalise(f"{base}/{old}")))
    own = normalise(article.get_absolute_url())
    rows, counts = {}, Counter()
    for kind, path in found:
        if path != own and len(path) <= 500:  # never an address to itself
            rows[path] = OldAddress(path=path, site=site_key, article=article)
            counts[kind] += 1
    _save(rows.values())
    return counts


def record_archives(*, site_url, site_key, decisions, declared):
    """Record the category and tag archives of every term decided as a section, mineral or country.
    `decisions` is {(kind, slug): Decision}, `declared` the export's {(taxonomy, slug): Term}."""
    base = urlsplit(site_url).path.rstrip("/")
    rows = {}
    for (kind, slug), decision in decisions.items():
        if decision.kind not in ("section", "mineral", "country") or not slug:
            continue
        chain = [unquote(slug)]
        if kind == "category":
            parent, seen = declared.get(("category", slug)), set()
            while parent is not None and parent.parent and parent.parent not in seen:
                seen.add(parent.parent)
                chain.insert(0, unquote(parent.parent))
                parent = declared.get(("category", parent.parent))
        prefix = "category" if kind == "category" else "tag"
        for path in (f"{base}/{prefix}/{'/'.join(chain)}", f"{base}/{prefix}/{chain[-1]}"):
            path = normalise(path)
            rows[path] = OldAddress(path=path, site=site_key, **{decision.kind: decision.target})
    _save(rows.values())
    return Counter({"archives": len(rows)})


def _save(rows):
    """Store old addresses, each replacing whatever the same path pointed at before (one query)."""
    OldAddress.objects.bulk_create(
        list(rows),
        update_conflicts=True,
        unique_fields=["path"],
        update_fields=["site", "article", "section", "mineral", "country"],
    )


def target_for(path):
    """Where an old path answers now, or None."""
    path = normalise(path)
    old = _find(path)
    if old is not None:
        return old.target_url()
    if path.endswith("/feed"):
        old = _find(path.removesuffix("/feed") or "/")
        if old is not None and old.article_id is None:
            return old.target_url(feed=True)
    if path in _FEEDS:
        return reverse("articles:feed")
    return None


def _find(path):
    if not storable_text(path):  # a NUL in the address: no old address has one, and PostgreSQL refuses it
        return None
    return (
        OldAddress.objects.filter(path=path)
        .select_related("article", "section", "mineral", "country")
        .first()
    )


class OldQueryAddressMiddleware:
    """WordPress's own query addresses (`/?p=ID`, `/?feed=rss2`) answer 301 before the page cache: the
    front page does not read these parameters, so the cache would answer them with the front page.
    Only a request carrying one of them costs a lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and ("p" in request.GET or "feed" in request.GET):
            target = self._query_target(request)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        return self.get_response(request)

    @staticmethod
    def _query_target(request):
        post_id = request.GET.get("p", "")
        if post_id.isdigit():
            old = _find(query_key(request.path, int(post_id)))
            if old is not None:
                return old.target_url()
        if request.GET.get("feed") and normalise(request.path) == "/":
            return reverse("articles:feed")
        return None


class OldAddressMiddleware:
    """Old paths answer 301 where nothing else answers (a 404); inside the page cache, which stores 200s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = target_for(request.path)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        return response
