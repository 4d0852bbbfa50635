"""Tags for article pages, subject pages and the pieces of other pages that show articles."""

import re

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from articles import feeds, metadata
from articles.models import Article
from articles.photos import AUTHOR_WIDTHS, HERO_WIDTHS
from articles.search.text import plain_text
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
        (
            value
            for value in (getattr(subject, name, "") for name in ("description", "bio", "notes"))
            if value
        ),
        "",
    )
    kind = subject._meta.verbose_name
    description = truncate(" ".join(own_words.split()), 200) or (
        f"Articles on {subject} ({kind}) from {settings.SITE_NAME}."
    )
    return page_social_meta(context, title=f"{subject} · {settings.SITE_NAME}", description=description)


@register.simple_tag
def recent_articles(exclude=None, limit=RECENT_ARTICLES, shown=()):
    """The latest live articles, for the side of an article page and the 404 page; kept by content version.

    `shown` are articles the page lists already (its related coverage), left out so no headline repeats.
    """
    shown_pks = sorted(article.pk for article in shown)

    def render():
        articles = Article.objects.published().exclude(pk__in=shown_pks).recent(limit, exclude=exclude)
        return render_to_string("articles/includes/recent_articles.html", {"recent_articles": articles})

    return page_cache.fragment(
        f"recent-articles:{getattr(exclude, 'pk', None)}:{limit}:{shown_pks}",
        tags=[page_cache.CONTENT],
        render=render,
    )


RELATED_ARTICLES = 4
# Words a reader reads in a minute, for "n min read".
READING_SPEED = 230


@register.simple_tag
def related_articles(article, limit=RELATED_ARTICLES):
    """Live articles sharing the most minerals and countries with `article`, for its side and end: one
    query, kept by content version like the recent articles."""

    def find():
        return list(
            Article.objects.published().related_to(
                article,
                minerals=article.minerals.all(),
                countries=article.countries.all(),
                limit=limit,
            )
        )

    return page_cache.fragment(
        f"related-articles:{article.pk}:{limit}", tags=[page_cache.CONTENT], render=find
    )


# A table cell with no attributes holding one figure (the sanitiser wraps a cell's text in <p>):
# 4,380 · −18% · $12.5 · 1.2bn.
_NUMBER_CELL = re.compile(
    r"<td>(\s*(?:<p>\s*)?[−–+-]?\s*[$€£¥]?\s*\d[\d,.\u202f\u00a0 ]*"
    r"(?:%|bn|m|k|t|kt|Mt)?\s*(?:</p>\s*)?)</td>",
    re.IGNORECASE,
)


@register.filter
def number_cells(body_html):
    """The article's (already sanitised) body with each table cell that holds a figure marked class="num"."""
    return mark_safe(_NUMBER_CELL.sub(r'<td class="num">\1</td>', body_html or ""))


@register.filter
def scrolling_tables(body_html):
    """The body with each table in a box that scrolls sideways, so a wide table of figures never
    widens a phone's page; the box can take the keyboard's focus to be scrolled."""
    body_html = body_html or ""
    if "<table" not in body_html:
        return mark_safe(body_html)
    opened = body_html.replace(
        "<table",
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Table, scrolls sideways"><table',
    )
    return mark_safe(opened.replace("</table>", "</table></div>"))


@register.filter
def reading_minutes(article):
    """Minutes a reader needs for the article's words, at least one."""
    return max(1, round(len(plain_text(article.body).split()) / READING_SPEED))


# The article column is at most 44rem wide beside the sidebar on wide screens, the page's width less
# its margins below that.
HERO_SIZES = "(min-width: 64rem) 44rem, calc(100vw - 2rem)"


@register.simple_tag
def hero_picture(article, *, alt=None, loading="lazy", css_class=""):
    """The article's hero photo from its renditions; pass loading="eager" where it is above the fold
    (it is then fetched first, with fetchpriority="high")."""
    return picture_html(
        article.hero_image,
        HERO_WIDTHS,
        (article.hero_width, article.hero_height),
        sizes=HERO_SIZES,
        alt=article.hero_alt if alt is None else alt,
        loading=loading,
        css_class=css_class,
        fetchpriority="high" if loading == "eager" else None,
    )


# What a card's picture is drawn at: the lead story across the front page's main column, a
# second-tier story in a third of it (the full width on phones), a thumbnail beside a card's words.
CARD_SIZES = {
    "lead": "(min-width: 60rem) 46rem, calc(100vw - 2rem)",
    "wide": "(min-width: 60rem) 15rem, (min-width: 36rem) 45vw, calc(100vw - 2rem)",
    "thumb": "(min-width: 40rem) 12rem, 6.5rem",
}


@register.simple_tag
def card_picture(article, *, kind="thumb", loading="lazy"):
    """A card's picture from the hero photo's renditions, decorative (the headline beside it says what it
    is)."""
    return picture_html(
        article.hero_image,
        HERO_WIDTHS,
        (article.hero_width, article.hero_height),
        sizes=CARD_SIZES[kind],
        alt="",
        loading=loading,
        css_class=f"card__image card__image--{kind}",
        fetchpriority="high" if loading == "eager" else None,
    )


@register.simple_tag
def author_picture(author, *, size=64, loading="lazy"):
    """An author's portrait, drawn `size` CSS pixels square; below the fold unless loading="eager"
    (the author's own page, where it is the first picture)."""
    return picture_html(
        author.photo,
        AUTHOR_WIDTHS,
        (author.photo_width, author.photo_height),
        sizes=f"{size}px",
        width=size,
        height=size,
        loading=loading,
        fetchpriority="high" if loading == "eager" else None,
    )


@register.simple_tag
def website_json_ld():
    """The WebSite (with its search) and its publisher, for the front page."""
    return json_ld_script(metadata.website(reverse("articles:search")))
