"""
What an article tells link previews and search engines: Open Graph and Twitter card
properties, and schema.org JSON-LD (NewsArticle and BreadcrumbList).

Everything here reads the relations ArticleDetailView prefetches, so it adds no queries.
"""

from django.conf import settings
from django.urls import reverse

from core.meta import truncate
from core.models import SiteSettings
from core.site import absolute_url

HEADLINE_MAX_CHARS = 110  # what Google shows of a NewsArticle headline


def hero_image_url(article):
    return absolute_url(article.hero_image.url) if article.hero_image else None


def share_image_url(article):
    """The hero photo, or the site's image for articles without one (core.models.SiteSettings)."""
    return hero_image_url(article) or SiteSettings.current().default_article_image().url


def publisher():
    return {
        "@type": "NewsMediaOrganization", "name": settings.SITE_NAME, "url": absolute_url("/"),
        "logo": SiteSettings.current().publisher_logo().image_object(),
    }


def news_article(article):
    url = absolute_url(article.get_absolute_url())
    cited = [citation_work(citation) for citation in article.ordered_citations()]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": truncate(article.title, HEADLINE_MAX_CHARS),
        "description": article.dek or article.title,
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.modified_at.isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.minerals.all()] + [tag.name for tag in article.countries.all()],
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in article.authors.all()
        ] or [publisher()],
        "publisher": publisher(),
        "isAccessibleForFree": True,
        "inLanguage": settings.LANGUAGE_CODE,
    }
    data["image"] = [share_image_url(article)]
    if cited:
        data["isBasedOn"] = cited
        data["citation"] = cited
    corrections = [correction_comment(correction, url) for correction in article.corrections.all()]
    if corrections:
        data["correction"] = corrections
    return data


def correction_comment(correction, article_url):
    """A correction, clarification or update as schema.org's CorrectionComment."""
    return {
        "@type": "CorrectionComment",
        "name": correction.get_kind_display(),
        "text": correction.text,
        "datePublished": correction.date.isoformat(),
        "url": f"{article_url}#correction-{correction.pk}",
    }


def citation_work(citation):
    source = citation.source
    work = {
        "@type": "CreativeWork",
        "name": citation.title or source.name,
        "publisher": {"@type": "Organization", "name": source.name, "url": absolute_url(source.get_absolute_url())},
    }
    if citation.url:
        work["url"] = citation.url
    return work


def breadcrumbs(article):
    trail = [
        (settings.SITE_NAME, absolute_url(reverse("articles:front-page"))),
        (article.section.name, absolute_url(article.section.get_absolute_url())),
        (article.title, absolute_url(article.get_absolute_url())),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_open_graph(article):
    """(attribute, name, content) triples for the article's Open Graph and Twitter card tags."""
    url = absolute_url(article.get_absolute_url())
    description = article.dek or article.title
    image = hero_image_url(article)
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:title", article.title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "article:published_time", article.publish_at.isoformat()),
        ("property", "article:modified_time", article.modified_at.isoformat()),
        ("property", "article:section", article.section.name),
    ]
    tags += [("property", "article:tag", tag.name) for tag in article.minerals.all()]
    tags += [("property", "article:tag", tag.name) for tag in article.countries.all()]
    tags += [("property", "article:author", absolute_url(a.get_absolute_url())) for a in article.authors.all()]
    if image:
        tags.append(("property", "og:image", image))
        if article.hero_alt:
            tags.append(("property", "og:image:alt", article.hero_alt))
    else:
        # Link previews show the site's image rather than none; the card stays a small summary.
        tags.append(("property", "og:image", share_image_url(article)))
    tags += [
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", article.title),
        ("name", "twitter:description", description),
    ]
    if image:
        tags.append(("name", "twitter:image", image))
        if article.hero_alt:
            tags.append(("name", "twitter:image:alt", article.hero_alt))
    return tags


