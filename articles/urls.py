from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import conditional_page
from django.views.generic import TemplateView

from articles import feeds, sitemaps, views
from articles.models import Country, Mineral

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front-page"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("minerals/", views.TagIndexView.as_view(model=Mineral), name="mineral-index"),
    path("minerals/<slug:slug>/", views.MineralView.as_view(), name="mineral"),
    path("countries/", views.TagIndexView.as_view(model=Country), name="country-index"),
    path("countries/<slug:slug>/", views.CountryView.as_view(), name="country"),
    path("sources/", views.SourceRegisterView.as_view(), name="source-register"),
    path("sources/<slug:slug>/", views.SourceView.as_view(), name="source"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
]

# Discovery: search, feeds, sitemaps and robots.txt. Feeds and sitemaps answer a reader or
# crawler that already has the current version with 304 Not Modified (by Last-Modified or ETag).
_subject_feeds = [
    ("section", "section", feeds.SectionFeed),
    ("minerals", "mineral", feeds.MineralFeed),
    ("countries", "country", feeds.CountryFeed),
    ("sources", "source", feeds.SourceFeed),
    ("authors", "author", feeds.AuthorFeed),
]
urlpatterns += [
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", conditional_page(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", conditional_page(feeds.atom(feeds.ArticleFeed)()), name="feed-atom"),
    *[
        pattern
        for prefix, name, feed_class in _subject_feeds
        for pattern in (
            path(f"{prefix}/<slug:slug>/feed/", conditional_page(feed_class()), name=f"{name}-feed"),
            path(
                f"{prefix}/<slug:slug>/feed/atom/",
                conditional_page(feeds.atom(feed_class)()),
                name=f"{name}-feed-atom",
            ),
        )
    ],
    path("sitemap.xml", conditional_page(sitemaps.sitemap_index), name="sitemap"),
    path(
        "sitemap-<section>.xml",
        conditional_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", conditional_page(sitemaps.news_sitemap), name="news-sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]
