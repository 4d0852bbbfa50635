"""Tags for what every page tells browsers, search engines and link previews."""

from django import template
from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.translation import to_locale

from core import meta, site
from core.models import SiteSettings

register = template.Library()


def site_description():
    return settings.SITE_DESCRIPTION


@register.simple_tag(takes_context=True)
def canonical_url(context, path=None):
    """The page's absolute address on SITE_URL; a list keeps its page number, nothing else."""
    request = context.get("request")
    if path is None:
        # request.path is decoded ("/countries/côte-divoire/"); links carry it encoded, as reverse() makes
        # them.
        path = iri_to_uri(request.path) if request is not None else "/"
    # The page the paginator served, not the raw parameter ("last", "02" and the like).
    page_obj = context.get("page_obj")
    suffix = f"?page={page_obj.number}" if page_obj is not None and page_obj.number > 1 else ""
    return site.absolute_url(path) + suffix


@register.inclusion_tag("core/meta_tags.html", takes_context=True)
def page_social_meta(context, title=None, description=None):
    tags = meta.page_open_graph(
        title=title or settings.SITE_NAME,
        description=description or site_description(),
        url=canonical_url(context),
        image=SiteSettings.current().default_article_image(),
    )
    return {"tags": tags}


@register.simple_tag
def og_locale():
    return to_locale(settings.LANGUAGE_CODE)


@register.simple_tag
def absolute_url(path):
    """`path` on the site's public address (core.site.absolute_url), for templates."""
    return site.absolute_url(path)


# One rule for machine-readable times on pages, sitemaps, feeds and structured data (core.meta).
register.filter("iso_datetime", meta.iso_datetime)
