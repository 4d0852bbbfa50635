from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core import navigation


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}


def navigation_links(request):
    # Lazy, so pages that never draw the navigation (feeds, errors) never build it.
    links = SimpleLazyObject(navigation.links)
    return {
        "nav_links": links,
        "footer_links": SimpleLazyObject(lambda: [link for link in links if link.footer]),
    }
