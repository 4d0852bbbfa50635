"""Old WordPress addresses answering 301 to where the content lives now.

OldAddressMiddleware asks nothing of a request that a view answers: it looks an address up only when
the site would answer 404 (an old permalink, whatever the WordPress site's permalink structure was,
a former slug, a category or tag archive or its feed), or when the front page is asked for with
WordPress's own query (`/?p=123`, `/?feed=rss2`). It sits inside the anonymous page cache
(core.middleware.PageCacheMiddleware), which stores only 200 answers and never a front page with
a query it does not know: a redirect is worked out afresh every time, so it follows the article
to its current address and stops the moment the article is taken down.
"""

from urllib.parse import unquote, urlsplit

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

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
    return (
        OldAddress.objects.filter(path=path)
        .select_related("article", "section", "mineral", "country")
        .first()
    )


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.GET:
            target = self._query_target(request)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = target_for(request.path)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        return response

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
