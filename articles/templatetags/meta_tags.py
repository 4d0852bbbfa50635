"""Tags for what a page tells browsers, feed readers, search engines and link previews."""

from django import template
from django.conf import settings
from django.utils.translation import to_locale

from articles import feeds, metadata

register = template.Library()

SITE_DESCRIPTION = "Reporting on critical minerals and rare earths, and on who owns the outlets that report them."


@register.simple_tag(takes_context=True)
def canonical_url(context, path=None):
    """The page's absolute address on SITE_URL; a list keeps its page number, nothing else."""
    request = context.get("request")
    if path is None:
        path = request.path if request is not None else "/"
    # The page the paginator served, not the raw parameter ("last", "02" and the like).
    page_obj = context.get("page_obj")
    suffix = f"?page={page_obj.number}" if page_obj is not None and page_obj.number > 1 else ""
    return settings.SITE_URL + path + suffix


@register.inclusion_tag("articles/includes/meta_tags.html", takes_context=True)
def page_social_meta(context, title=None, description=None):
    tags = metadata.page_open_graph(
        title=title or settings.SITE_NAME,
        description=description or SITE_DESCRIPTION,
        url=canonical_url(context),
    )
    return {"tags": tags}


@register.inclusion_tag("articles/includes/meta_tags.html")
def article_social_meta(article):
    return {"tags": metadata.article_open_graph(article)}


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """NewsArticle and BreadcrumbList, each in its own nonce-carrying ld+json script."""
    # str() on purpose: django-csp's lazy nonce is falsy until read, and reading it is
    # what adds the nonce to the response's policy.
    nonce = str(context.get("CSP_NONCE", ""))
    return metadata.json_ld_script(metadata.news_article(article), nonce) + metadata.json_ld_script(
        metadata.breadcrumbs(article), nonce
    )


@register.inclusion_tag("articles/includes/feed_links.html")
def feed_alternates(subject=None):
    links = feeds.feed_links(subject)
    if links is None:
        return {}
    title = settings.SITE_NAME if subject is None else f"{subject} · {settings.SITE_NAME}"
    rss, atom = links
    return {"title": title, "rss": rss, "atom": atom}


@register.simple_tag
def og_locale():
    return to_locale(settings.LANGUAGE_CODE)


@register.inclusion_tag("articles/includes/meta_tags.html", takes_context=True)
def subject_social_meta(context, subject):
    """For a section, mineral, country, source or author page: its own words when it has some."""
    own_words = next(
        (value for value in (getattr(subject, name, "") for name in ("description", "bio", "notes")) if value), ""
    )
    kind = subject._meta.verbose_name
    description = metadata.truncate(" ".join(own_words.split()), 200) or (
        f"Articles on {subject} ({kind}) from {settings.SITE_NAME}."
    )
    return page_social_meta(context, title=f"{subject} · {settings.SITE_NAME}", description=description)
