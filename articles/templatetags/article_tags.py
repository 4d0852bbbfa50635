"""Tags for article pages, subject pages and the pieces of other pages that show articles."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from articles import feeds, metadata
from articles.models import Article
from articles.photos import AUTHOR_WIDTHS, HERO_WIDTHS
from core import page_cache
from core.images import picture_html
from core.meta import json_ld_script, truncate
from core.templatetags.site_meta import page_social_meta

register = template.Library()

RECENT_ARTICLES = 5


@register.inclusion_tag("core/meta_tags.html")
def article_social_meta(article):
    return {"tags": metadata.article_open_graph(article)}


@register.simple_tag
def article_json_ld(article):
    """NewsArticle and BreadcrumbList, each in its own ld+json script.

    No CSP nonce: JSON-LD is data that browsers never run, and a page without a nonce is the same
    for every reader, so the page cache can share it.
    """
    return json_ld_script(metadata.news_article(article)) + json_ld_script(metadata.breadcrumbs(article))


@register.inclusion_tag("articles/includes/feed_links.html")
def feed_alternates(subject=None):
    links = feeds.feed_links(subject)
    if links is None:
        return {}
    title = settings.SITE_NAME if subject is None else f"{subject} · {settings.SITE_NAME}"
    rss, atom = links
    return {"title": title, "rss": rss, "atom": atom}


@register.inclusion_tag("core/meta_tags.html", takes_context=True)
def subject_social_meta(context, subject):
    """For a section, mineral, country, source or author page: its own words when it has some."""
    own_words = next(
        (value for value in (getattr(subject, name, "") for name in ("description", "bio", "notes")) if value), ""
    )
    kind = subject._meta.verbose_name
    description = truncate(" ".join(own_words.split()), 200) or (
        f"Articles on {subject} ({kind}) from {settings.SITE_NAME}."
    )
    return page_social_meta(context, title=f"{subject} · {settings.SITE_NAME}", description=description)


@register.simple_tag
def recent_articles(exclude=None, limit=RECENT_ARTICLES):
    """The latest live articles, for the side of an article page and the 404 page; kept by content version."""

    def render():
        articles = Article.objects.published().recent(limit, exclude=exclude)
        return render_to_string("articles/includes/recent_articles.html", {"recent_articles": articles})

    return page_cache.fragment(
        f"recent-articles:{getattr(exclude, 'pk', None)}:{limit}", tags=[page_cache.CONTENT], render=render,
    )


# The article column is at most 44rem wide beside the sidebar on wide screens, the page's width less
# its margins below that.
HERO_SIZES = "(min-width: 64rem) 44rem, calc(100vw - 2rem)"


@register.simple_tag
def hero_picture(article, *, alt=None, loading="lazy", css_class=""):
    """The article's hero photo from its renditions; pass loading="eager" where it is above the fold."""
    return picture_html(
        article.hero_image, HERO_WIDTHS, (article.hero_width, article.hero_height), sizes=HERO_SIZES, alt=article.hero_alt if alt is None else alt,
        loading=loading, css_class=css_class,
    )


@register.simple_tag
def author_picture(author, *, size=64):
    """An author's portrait, drawn `size` CSS pixels square, below the fold."""
    return picture_html(
        author.photo, AUTHOR_WIDTHS, (author.photo_width, author.photo_height), sizes=f"{size}px", width=size, height=size,
    )


@register.simple_tag
def website_json_ld():
    """The WebSite (with its search) and its publisher, for the front page."""
    return json_ld_script(metadata.website(reverse("articles:search")))
