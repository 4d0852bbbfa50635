"""The readers' side of readership: the "Most read" block, kept as a piece of page refreshed every few
minutes and the same for every reader, so pages that show it stay shareable by the page cache."""

from django import template
from django.template.loader import render_to_string

from core import page_cache
from readership.selectors import most_read as most_read_articles

register = template.Library()

MOST_READ_LIMIT = 5
# A read changes no version any page depends on, so pages showing the block are kept no longer than this.
MOST_READ_SECONDS = 300


@register.simple_tag(takes_context=True)
def most_read(context):
    """The articles read most in the last 24 hours (nothing when no article has been read)."""
    request = context["request"]
    page_cache.expires(request, seconds=MOST_READ_SECONDS)

    def render():
        articles = most_read_articles(limit=MOST_READ_LIMIT)
        return render_to_string("readership/most_read_block.html", {"articles": articles})

    return page_cache.fragment(
        "most-read",
        tags=[page_cache.CONTENT],
        render=render,
        timeout=MOST_READ_SECONDS,
        request=request,
    )
