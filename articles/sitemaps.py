"""
sitemap.xml (an index of one sitemap per kind of page), the Google News sitemap of the
last two days' articles, and what robots.txt points at.

Every address is built from settings.SITE_URL rather than the request's host, so the
sitemaps name the site's public address whichever host or proxy served them.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, modified_at
from articles.subjects import SUBJECTS
from core import page_cache
from core.site import absolute_url, site_netloc, site_scheme

NEWS_WINDOW = timedelta(days=2)
NEWS_MAX_ITEMS = 1000  # Google News reads at most this many


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL's scheme and host."""

    limit = 10000

    @property
    def protocol(self):
        return site_scheme()

    def get_domain(self, site=None):
        return site_netloc()


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Article.objects.published().only("slug").with_modified_at().order_by("-publish_at", "-id")

    def lastmod(self, article):
        return article.modified

    def get_latest_lastmod(self):
        # Sitemap's default loads every item to find the newest; one aggregate does it here.
        return Article.objects.published().aggregate(newest=Max(modified_at()))["newest"]


class SubjectSitemap(SiteSitemap):
    """The pages of one kind of subject with live articles, dated by their newest live article."""

    changefreq = "daily"

    def __init__(self, kind):
        self.kind = kind

    def items(self):
        return self.kind.model.objects.public().annotate_live().order_by("pk")

    def lastmod(self, subject):
        return subject.last_article

    def get_latest_lastmod(self):
        # A country known only through a source has no article to date it by.
        return max((subject.last_article for subject in self.items() if subject.last_article), default=None)


class PageSitemap(SiteSitemap):
    """The front page and the indexes of minerals, countries and sources."""

    changefreq = "hourly"

    def items(self):
        return [
            "articles:front-page",
            "articles:mineral-index",
            "articles:country-index",
            "articles:source-register",
        ]

    def location(self, name):
        return reverse(name)


# Classes (or partials), not instances: the sitemap view makes a fresh one per request.
SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    **{kind.sitemap: partial(SubjectSitemap, kind) for kind in SUBJECTS},
}


def sitemap_index(request):
    """Like django.contrib.sitemaps.views.index, with addresses on SITE_URL."""
    entries, newest = [], None
    for section, make_sitemap in SITEMAPS.items():
        sitemap = make_sitemap()
        location = absolute_url(reverse("articles:sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is not None:
            newest = max(newest, lastmod) if newest else lastmod
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    headers = {"Last-Modified": http_date(newest.timestamp())} if newest else None
    return TemplateResponse(
        request,
        "articles/sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
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
    articles = list(news_articles())
    if articles:  # the oldest leaves the two-day window with no event to announce it
        page_cache.expires(request, at=articles[-1].publish_at + NEWS_WINDOW)
    context = {
        "articles": articles,
        "publication_name": settings.NEWS_PUBLICATION_NAME,
        # Google News wants ISO 639 codes, with zh-cn and zh-tw the only regional ones.
        "language": settings.LANGUAGE_CODE
        if settings.LANGUAGE_CODE.lower() in {"zh-cn", "zh-tw"}
        else settings.LANGUAGE_CODE.split("-")[0],
    }
    return TemplateResponse(request, "articles/news_sitemap.xml", context, content_type="application/xml")
