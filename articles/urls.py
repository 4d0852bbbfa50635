"""The reading site's addresses: front page, articles, subjects, search, feeds, sitemaps, corrections."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import conditional_page
from django.views.generic import TemplateView

from articles import feeds, sitemaps, views
from articles import invalidation as shows
from articles.models import Country, Mineral
from articles.subjects import SUBJECTS
from core.page_cache import cacheable

app_name = "articles"

urlpatterns = [
    path(
        "",
        cacheable(views.FrontPageView.as_view(), query=["page"], tags=shows.front_page_tags),
        name="front-page",
    ),
    path(
        "news/<anyslug:slug>/",
        cacheable(views.ArticleDetailView.as_view(), tags=shows.ARTICLE_PAGE_TAGS, private_query=["replyto"]),
        name="detail",
    ),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path(
        "minerals/",
        cacheable(views.TagIndexView.as_view(model=Mineral), tags=shows.index_page_tags("mineral")),
        name="mineral-index",
    ),
    path(
        "countries/",
        cacheable(views.TagIndexView.as_view(model=Country), tags=shows.index_page_tags("country")),
        name="country-index",
    ),
    path(
        "sources/",
        cacheable(views.SourceRegisterView.as_view(), tags=shows.index_page_tags("source")),
        name="source-register",
    ),
    path(
        "corrections/",
        cacheable(views.CorrectionListView.as_view(), query=["page"], tags=shows.CORRECTIONS_PAGE_TAGS),
        name="corrections",
    ),
    path(
        "corrections/feed/",
        cacheable(conditional_page(feeds.CorrectionFeed()), tags=shows.CORRECTIONS_FEED_TAGS),
        name="corrections-feed",
    ),
    path(
        "corrections/feed/atom/",
        cacheable(conditional_page(feeds.CorrectionFeed(atom=True)), tags=shows.CORRECTIONS_FEED_TAGS),
        name="corrections-feed-atom",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
]

# Each subject's page, and its feeds. Feeds and sitemaps answer a reader or crawler that already
# has the current version with 304 Not Modified (by Last-Modified or ETag). Every page here but
# the preview and search is the same for all readers without a session: the page cache shares it.
for kind in SUBJECTS:
    urlpatterns += [
        path(
            f"{kind.prefix}/<anyslug:slug>/",
            cacheable(views.SubjectView.as_view(kind=kind), query=["page"], tags=shows.SUBJECT_PAGE_TAGS),
            name=kind.name,
        ),
        path(
            f"{kind.prefix}/<anyslug:slug>/feed/",
            cacheable(conditional_page(feeds.SubjectFeed(kind)), tags=shows.SUBJECT_FEED_TAGS),
            name=f"{kind.name}-feed",
        ),
        path(
            f"{kind.prefix}/<anyslug:slug>/feed/atom/",
            cacheable(conditional_page(feeds.SubjectFeed(kind, atom=True)), tags=shows.SUBJECT_FEED_TAGS),
            name=f"{kind.name}-feed-atom",
        ),
    ]

urlpatterns += [
    path("feed/", cacheable(conditional_page(feeds.ArticleFeed()), tags=shows.LATEST_FEED_TAGS), name="feed"),
    path(
        "feed/atom/",
        cacheable(conditional_page(feeds.ArticleFeed(atom=True)), tags=shows.LATEST_FEED_TAGS),
        name="feed-atom",
    ),
    path(
        "sitemap.xml",
        cacheable(conditional_page(sitemaps.sitemap_index), tags=shows.SITEMAP_TAGS),
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cacheable(conditional_page(sitemap_views.sitemap), query=["p"], tags=shows.SITEMAP_TAGS),
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap-section",
    ),
    path(
        "news-sitemap.xml",
        cacheable(conditional_page(sitemaps.news_sitemap), tags=shows.SITEMAP_TAGS),
        name="news-sitemap",
    ),
    path(
        "robots.txt",
        cacheable(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
            tags=shows.ROBOTS_TAGS,
        ),
        name="robots",
    ),
]
