"""What every template may read: the site's settings and the navigation links."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core import navigation, page_cache


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}


def navigation_links(request):
    # Lazy, so pages that never draw the navigation (feeds, errors) never build it; kept by content
    # version, since editors' changes (a section renamed) are what change it.
    links = SimpleLazyObject(
        lambda: page_cache.fragment("navigation", tags=[page_cache.CONTENT], render=navigation.links)
    )
    return {
        "nav_links": links,
        "footer_links": SimpleLazyObject(lambda: [link for link in links if link.footer]),
    }
