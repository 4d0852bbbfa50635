"""The reading site's addresses: front page, articles, subjects, search, feeds, sitemaps, corrections."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import conditional_page
from django.views.generic import TemplateView

from articles import feeds, sitemaps, views
from articles.models import Country, Mineral
from articles.subjects import SUBJECTS
from core.page_cache import cacheable

app_name = "articles"

urlpatterns = [
    path("", cacheable(views.FrontPageView.as_view(), query=["page"]), name="front-page"),
    path("news/<anyslug:slug>/", cacheable(views.ArticleDetailView.as_view()), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("minerals/", cacheable(views.TagIndexView.as_view(model=Mineral)), name="mineral-index"),
    path("countries/", cacheable(views.TagIndexView.as_view(model=Country)), name="country-index"),
    path("sources/", cacheable(views.SourceRegisterView.as_view()), name="source-register"),
    path("corrections/", cacheable(views.CorrectionListView.as_view(), query=["page"]), name="corrections"),
    path("corrections/feed/", cacheable(conditional_page(feeds.CorrectionFeed())), name="corrections-feed"),
    path(
        "corrections/feed/atom/",
        cacheable(conditional_page(feeds.CorrectionFeed(atom=True))),
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
            cacheable(views.SubjectView.as_view(kind=kind), query=["page"]),
            name=kind.name,
        ),
        path(
            f"{kind.prefix}/<anyslug:slug>/feed/",
            cacheable(conditional_page(feeds.SubjectFeed(kind))),
            name=f"{kind.name}-feed",
        ),
        path(
            f"{kind.prefix}/<anyslug:slug>/feed/atom/",
            cacheable(conditional_page(feeds.SubjectFeed(kind, atom=True))),
            name=f"{kind.name}-feed-atom",
        ),
    ]

urlpatterns += [
    path("feed/", cacheable(conditional_page(feeds.ArticleFeed())), name="feed"),
    path("feed/atom/", cacheable(conditional_page(feeds.ArticleFeed(atom=True))), name="feed-atom"),
    path("sitemap.xml", cacheable(conditional_page(sitemaps.sitemap_index)), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        cacheable(conditional_page(sitemap_views.sitemap), query=["p"]),
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", cacheable(conditional_page(sitemaps.news_sitemap)), name="news-sitemap"),
    path(
        "robots.txt",
        cacheable(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
]
