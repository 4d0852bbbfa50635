"""
RSS 2.0 and Atom feeds for the whole site and for each section, mineral, country, source
and author. Items carry the full body, the byline, the section and tags as categories,
and the hero photo as an enclosure, so a feed reader shows the story as the site does.
"""

import mimetypes
import re
from datetime import timezone as dt_timezone
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from articles.models import Article, Author, Country, Mineral, Section, Source

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Root-relative links and images in a body mean nothing inside a feed reader.
_RELATIVE_URL = re.compile(r'\b(href|src)="/(?!/)')


def absolute_url(path):
    return settings.SITE_URL + path


def absolute_body(body):
    return _RELATIVE_URL.sub(lambda match: f'{match.group(1)}="{settings.SITE_URL}/', body or "")


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 with the full body in content:encoded; the description stays the summary."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(Atom1Feed):
    """Atom with the full body as <content type="html"> beside the <summary>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    """The site's latest live articles; subclasses narrow it to one subject found by slug."""

    feed_type = RssWithContent
    subject_model = None
    link_name = "articles:front-page"
    feed_name = "articles:feed"

    def get_object(self, request, slug=None):
        if self.subject_model is None:
            return None
        return get_object_or_404(self.subject_model, slug=slug)

    def title(self, subject):
        return settings.SITE_NAME if subject is None else f"{subject} · {settings.SITE_NAME}"

    def description(self, subject):
        if subject is None:
            return f"Latest reporting on critical minerals and rare earths from {settings.SITE_NAME}."
        return f"Latest articles on {subject} ({subject._meta.verbose_name}) from {settings.SITE_NAME}."

    def link(self, subject):
        return absolute_url(subject.get_absolute_url() if subject is not None else reverse(self.link_name))

    def feed_url(self, subject):
        kwargs = {"slug": subject.slug} if subject is not None else {}
        return absolute_url(reverse(self.feed_name, kwargs=kwargs))

    def feed_guid(self, subject):
        return self.feed_url(subject)

    def author_name(self, subject):
        return settings.SITE_NAME

    def items(self, subject):
        articles = Article.objects.published()
        if subject is not None:
            articles = articles.about(subject)
        return articles.select_related("section").prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("name")), "minerals", "countries"
        )[: settings.FEED_ITEMS]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.dek or article.title

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    # The link changes when an editor renames the article; its guid must not, or feed
    # readers show the story again as new. A tag URI (RFC 4151) on the row's id stays put.
    item_guid_is_permalink = False

    def item_guid(self, article):
        created = article.created_at.astimezone(dt_timezone.utc)
        return f"tag:{urlsplit(settings.SITE_URL).hostname},{created:%Y-%m-%d}:article:{article.pk}"

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        # A scheduled article goes live after its last edit; it is new from then on.
        return max(article.updated_at, article.publish_at)

    def item_author_name(self, article):
        return ", ".join(author.name for author in article.authors.all()) or None

    def item_author_link(self, article):
        authors = list(article.authors.all())
        return absolute_url(authors[0].get_absolute_url()) if authors else None

    def item_categories(self, article):
        tags = [tag.name for tag in article.minerals.all()] + [tag.name for tag in article.countries.all()]
        return [article.section.name, *tags]

    def item_enclosures(self, article):
        if not article.hero_image:
            return []
        try:
            length = article.hero_image.size
        except OSError:
            length = 0  # RSS requires a length; 0 is the accepted "unknown"
        mime_type = mimetypes.guess_type(article.hero_image.name)[0] or "application/octet-stream"
        return [Enclosure(absolute_url(article.hero_image.url), str(length), mime_type)]

    def item_extra_kwargs(self, article):
        return {"content": absolute_body(article.body)}


class SectionFeed(ArticleFeed):
    subject_model = Section
    feed_name = "articles:section-feed"


class MineralFeed(ArticleFeed):
    subject_model = Mineral
    feed_name = "articles:mineral-feed"


class CountryFeed(ArticleFeed):
    subject_model = Country
    feed_name = "articles:country-feed"


class SourceFeed(ArticleFeed):
    subject_model = Source
    feed_name = "articles:source-feed"


class AuthorFeed(ArticleFeed):
    subject_model = Author
    feed_name = "articles:author-feed"


def atom(feed_class):
    """The Atom twin of an RSS feed class: same items, Atom document, its own URL name."""
    return type(
        "Atom" + feed_class.__name__,
        (feed_class,),
        {"feed_type": AtomWithContent, "feed_name": feed_class.feed_name + "-atom", "subtitle": feed_class.description},
    )


FEEDS = {
    None: ArticleFeed,
    Section: SectionFeed,
    Mineral: MineralFeed,
    Country: CountryFeed,
    Source: SourceFeed,
    Author: AuthorFeed,
}


def feed_links(subject=None):
    """(RSS URL, Atom URL) for the site, or for a section, mineral, country, source or author."""
    feed_class = FEEDS.get(type(subject) if subject is not None else None)
    if feed_class is None:
        return None
    kwargs = {"slug": subject.slug} if subject is not None else {}
    return reverse(feed_class.feed_name, kwargs=kwargs), reverse(feed_class.feed_name + "-atom", kwargs=kwargs)
