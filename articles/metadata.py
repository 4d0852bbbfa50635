"""
What the site tells link previews and search engines: Open Graph and Twitter card properties, and
every schema.org JSON-LD it publishes (the publisher, the WebSite with its search, NewsArticle and
BreadcrumbList), built here and nowhere else.

Everything here reads the relations ArticleDetailView prefetches, so it adds no queries.
"""

from django.conf import settings
from django.urls import reverse

from core.meta import iso_datetime, open_graph_image, truncate
from core.models import Picture, SiteSettings
from core.site import absolute_url

HEADLINE_MAX_CHARS = 110  # what Google shows of a NewsArticle headline


def hero_image_url(article):
    return absolute_url(article.hero_image.url) if article.hero_image else None


def share_image(article):
    """The picture search results and link previews show, with its size: the hero photo, else the site's
    image for articles without one (core.models.SiteSettings)."""
    if article.hero_image:
        return Picture(hero_image_url(article), article.hero_width, article.hero_height)
    return SiteSettings.current().default_article_image()


def publisher():
    """The site as the publisher of everything on it: the same node wherever a publisher is named."""
    home = absolute_url("/")
    return {
        "@type": "NewsMediaOrganization",
        "@id": home + "#publisher",
        "name": settings.SITE_NAME,
        "url": home,
        "logo": SiteSettings.current().publisher_logo().image_object(),
    }


def website(search_path):
    """The WebSite with its search (a search engine may offer a search box for the site), and its
    publisher."""
    home = absolute_url("/")
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": home + "#website",
                "name": settings.SITE_NAME,
                "url": home,
                "inLanguage": settings.LANGUAGE_CODE,
                "publisher": {"@id": home + "#publisher"},
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": absolute_url(search_path) + "?q={search_term_string}",
                    },
                    "query-input": "required name=search_term_string",
                },
            },
            publisher(),
        ],
    }


def news_article(article):
    url = absolute_url(article.get_absolute_url())
    cited = [citation_work(citation, url) for citation in article.ordered_citations()]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": truncate(article.title, HEADLINE_MAX_CHARS),
        "description": article.dek or article.title,
        "datePublished": iso_datetime(article.publish_at),
        "dateModified": iso_datetime(article.modified_at),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.minerals.all()]
        + [tag.name for tag in article.countries.all()],
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in article.authors.all()
        ]
        or [publisher()],
        "publisher": publisher(),
        "isAccessibleForFree": True,
        "inLanguage": settings.LANGUAGE_CODE,
    }
    data["image"] = [share_image(article).url]
    if cited:
        # The works the article is based on, described once; `citation` refers to the same nodes.
        data["isBasedOn"] = cited
        data["citation"] = [{"@id": work["@id"]} for work in cited]
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
        "datePublished": iso_datetime(correction.date),
        "url": f"{article_url}#correction-{correction.pk}",
    }


# The schema.org type of each kind of outlet.
SOURCE_TYPES = {
    "newspaper": "NewsMediaOrganization",
    "state_media": "NewsMediaOrganization",
    "wire": "NewsMediaOrganization",
    "government": "GovernmentOrganization",
    "company": "Corporation",
    "research": "ResearchOrganization",
}


def source_organization(source):
    """A cited outlet as itself: its own website as `url`; our page on who owns and controls it as the
    page that describes it."""
    organization = {"@type": SOURCE_TYPES.get(source.kind, "Organization"), "name": source.name}
    if source.url:
        organization["url"] = source.url
    organization["mainEntityOfPage"] = absolute_url(source.get_absolute_url())
    return organization


def citation_work(citation, article_url):
    work = {
        "@type": "CreativeWork",
        "@id": citation.url or f"{article_url}#citation-{citation.pk}",
        "name": citation.title or citation.source.name,
        "publisher": source_organization(citation.source),
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
    picture = share_image(article)
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:title", article.title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "article:published_time", iso_datetime(article.publish_at)),
        ("property", "article:modified_time", iso_datetime(article.modified_at)),
        ("property", "article:section", article.section.name),
    ]
    tags += [("property", "article:tag", tag.name) for tag in article.minerals.all()]
    tags += [("property", "article:tag", tag.name) for tag in article.countries.all()]
    tags += [
        ("property", "article:author", absolute_url(a.get_absolute_url())) for a in article.authors.all()
    ]
    # Without a photo, link previews show the site's image rather than none; the card stays a small summary.
    tags += open_graph_image(picture, alt=article.hero_alt if image else "")
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
