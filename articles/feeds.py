"""
RSS 2.0 and Atom feeds for the whole site and for each section, mineral, country, source
and author. Items carry the full body, the byline, the section and tags as categories,
and the hero photo as an enclosure, so a feed reader shows the story as the site does.
The corrections page has a feed of its own.
"""

import mimetypes
import re
from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from articles.models import Article, Author, Correction
from articles.subjects import kind_of
from core.site import absolute_url, site_host
from core.text import xml_safe

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Root-relative links and images in a body mean nothing inside a feed reader.
_RELATIVE_URL = re.compile(r'\b(href|src)="/(?!/)')


def absolute_body(body):
    return _RELATIVE_URL.sub(lambda match: f'{match.group(1)}="{absolute_url("/")}', body or "")


class XmlSafeFeed:
    """Drops characters XML 1.0 cannot carry from everything a feed is given, so a control character
    pasted into a headline, a tag name or an author's name cannot make the feed fail to render."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **{name: xml_safe(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **{name: xml_safe(value) for name, value in kwargs.items()})


class RssWithContent(XmlSafeFeed, Rss201rev2Feed):
    """RSS 2.0 with the full body in content:encoded; the description stays the summary."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(XmlSafeFeed, Atom1Feed):
    """Atom with one <author> per author, and the full body as <content type="html"> beside the <summary>."""

    def add_item_elements(self, handler, item):
        # Django's Atom feed has room for one author; co-authors each get their own element.
        super().add_item_elements(handler, {**item, "author_name": None})
        for name, link in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", link)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    """The site's latest live articles, as RSS 2.0 or (atom=True) Atom; SubjectFeed narrows it."""

    link_name = "articles:front-page"
    feed_name = "articles:feed"

    def __init__(self, *, atom=False):
        super().__init__()
        self.feed_type = AtomWithContent if atom else RssWithContent
        if atom:
            self.feed_name += "-atom"

    def get_object(self, request, slug=None):
        return None

    def title(self, subject):
        return settings.SITE_NAME if subject is None else f"{subject} · {settings.SITE_NAME}"

    def description(self, subject):
        if subject is None:
            return f"Latest reporting on critical minerals and rare earths from {settings.SITE_NAME}."
        return f"Latest articles on {subject} ({subject._meta.verbose_name}) from {settings.SITE_NAME}."

    subtitle = description  # Atom's name for it

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
        return f"tag:{site_host()},{created:%Y-%m-%d}:article:{article.pk}"

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        # A scheduled article goes live after its last edit; it is new from then on.
        return article.modified_at

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
        authors = [(author.name, absolute_url(author.get_absolute_url())) for author in article.authors.all()]
        return {"content": absolute_body(article.body), "authors": authors}


class SubjectFeed(ArticleFeed):
    """The latest live articles of one section, mineral, country, source or author, found by slug."""

    def __init__(self, kind, *, atom=False):
        self.kind = kind
        self.feed_name = f"articles:{kind.name}-feed"
        super().__init__(atom=atom)

    def get_object(self, request, slug=None):
        return get_object_or_404(self.kind.page_queryset(), slug=slug)


class CorrectionFeed(Feed):
    """Corrections, clarifications and updates on live articles, newest first."""

    def __init__(self, *, atom=False):
        super().__init__()
        self.feed_type = Atom1Feed if atom else Rss201rev2Feed
        self.feed_name = "articles:corrections-feed-atom" if atom else "articles:corrections-feed"

    def title(self):
        return f"Corrections · {settings.SITE_NAME}"

    def description(self):
        return f"Corrections, clarifications and updates to {settings.SITE_NAME} articles."

    subtitle = description

    def link(self):
        return absolute_url(reverse("articles:corrections"))

    def feed_url(self):
        return absolute_url(reverse(self.feed_name))

    def author_name(self):
        return settings.SITE_NAME

    def items(self):
        return Correction.objects.public().newest_first().select_related("article")[: settings.FEED_ITEMS]

    def item_title(self, correction):
        return f"{correction.get_kind_display()}: {correction.article.title}"

    def item_description(self, correction):
        return correction.text

    def item_link(self, correction):
        return absolute_url(correction.get_absolute_url())

    item_guid_is_permalink = False

    def item_guid(self, correction):
        created = correction.created_at.astimezone(dt_timezone.utc)
        return f"tag:{site_host()},{created:%Y-%m-%d}:correction:{correction.pk}"

    def item_pubdate(self, correction):
        return correction.created_at

    def item_categories(self, correction):
        return [correction.get_kind_display()]


def feed_links(subject=None):
    """(RSS URL, Atom URL) for the site, or for a section, mineral, country, source or author."""
    if subject is None:
        return reverse("articles:feed"), reverse("articles:feed-atom")
    kind = kind_of(subject)
    if kind is None:
        return None
    kwargs = {"slug": subject.slug}
    return reverse(f"articles:{kind.name}-feed", kwargs=kwargs), reverse(
        f"articles:{kind.name}-feed-atom", kwargs=kwargs
    )
