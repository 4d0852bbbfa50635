"""
sitemap.xml (an index of one sitemap per kind of page), the Google News sitemap of the
last two days' articles, and what robots.txt points at.

Every address is built from settings.SITE_URL rather than the request's host, so the
sitemaps name the site's public address whichever host or proxy served them.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, Q
from django.db.models.functions import Greatest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Author, Country, Mineral, Section, Source

NEWS_WINDOW = timedelta(days=2)
NEWS_MAX_ITEMS = 1000  # Google News reads at most this many


def modified(path=""):
    """When an article last changed for readers: its last edit, or going live if that came later."""
    return Greatest(f"{path}updated_at", f"{path}publish_at")


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL's scheme and host."""

    limit = 10000

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Article.objects.published()
            .only("slug")
            .annotate(modified=modified())
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, article):
        return article.modified

    def get_latest_lastmod(self):
        # Sitemap's default loads every item to find the newest; one aggregate does it here.
        return Article.objects.published().aggregate(newest=Max(modified()))["newest"]


class ListingSitemap(SiteSitemap):
    """Pages listing articles by one subject, dated by their newest live article."""

    changefreq = "daily"
    model = None
    article_path = None  # how the subject reaches its articles

    def items(self):
        live = Q(**{f"{self.article_path}__in": Article.objects.published()})
        return (
            self.model.objects.annotate(last_article=Max(modified(f"{self.article_path}__"), filter=live))
            .filter(last_article__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, subject):
        return subject.last_article


class SectionSitemap(ListingSitemap):
    model = Section
    article_path = "articles"


class MineralSitemap(ListingSitemap):
    model = Mineral
    article_path = "tagged_articles__content_object"


class CountrySitemap(ListingSitemap):
    model = Country
    article_path = "tagged_articles__content_object"


class SourceSitemap(ListingSitemap):
    model = Source
    article_path = "citations__article"


class AuthorSitemap(ListingSitemap):
    model = Author
    article_path = "articles"


class PageSitemap(SiteSitemap):
    """The front page and the indexes of minerals, countries and sources."""

    changefreq = "hourly"

    def items(self):
        return ["articles:front-page", "articles:mineral-index", "articles:country-index", "articles:source-register"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "minerals": MineralSitemap,
    "countries": CountrySitemap,
    "sources": SourceSitemap,
    "authors": AuthorSitemap,
}


def sitemap_index(request):
    """Like django.contrib.sitemaps.views.index, with addresses on SITE_URL."""
    entries, newest = [], None
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("articles:sitemap-section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is not None:
            newest = max(newest, lastmod) if newest else lastmod
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    headers = {"Last-Modified": http_date(newest.timestamp())} if newest else None
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml", headers=headers
    )


def news_articles():
    """Live articles published in the last two days, newest first, as Google News wants them."""
    since = timezone.now() - NEWS_WINDOW
    return (
        Article.objects.published()
        .filter(publish_at__gte=since)
        .only("title", "slug", "publish_at")
        .order_by("-publish_at", "-id")[:NEWS_MAX_ITEMS]
    )


def news_sitemap(request):
    context = {
        "articles": news_articles(),
        "publication_name": settings.NEWS_PUBLICATION_NAME,
        # Google News wants ISO 639 codes, with zh-cn and zh-tw the only regional ones.
        "language": settings.LANGUAGE_CODE if settings.LANGUAGE_CODE.lower() in {"zh-cn", "zh-tw"}
        else settings.LANGUAGE_CODE.split("-")[0],
    }
    return TemplateResponse(request, "articles/news_sitemap.xml", context, content_type="application/xml")
