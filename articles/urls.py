from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.http import conditional_page
from django.views.generic import TemplateView

from articles import feeds, sitemaps, views
from articles.models import Country, Mineral
from articles.subjects import SUBJECTS

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front-page"),
    path("news/<anyslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("minerals/", views.TagIndexView.as_view(model=Mineral), name="mineral-index"),
    path("countries/", views.TagIndexView.as_view(model=Country), name="country-index"),
    path("sources/", views.SourceRegisterView.as_view(), name="source-register"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("corrections/feed/", conditional_page(feeds.CorrectionFeed()), name="corrections-feed"),
    path("corrections/feed/atom/", conditional_page(feeds.CorrectionFeed(atom=True)), name="corrections-feed-atom"),
    path("search/", views.SearchView.as_view(), name="search"),
]

# Each subject's page, and its feeds. Feeds and sitemaps answer a reader or crawler that already
# has the current version with 304 Not Modified (by Last-Modified or ETag).
for kind in SUBJECTS:
    urlpatterns += [
        path(f"{kind.prefix}/<anyslug:slug>/", views.SubjectView.as_view(kind=kind), name=kind.name),
        path(f"{kind.prefix}/<anyslug:slug>/feed/", conditional_page(feeds.SubjectFeed(kind)), name=f"{kind.name}-feed"),
        path(
            f"{kind.prefix}/<anyslug:slug>/feed/atom/",
            conditional_page(feeds.SubjectFeed(kind, atom=True)),
            name=f"{kind.name}-feed-atom",
        ),
    ]

urlpatterns += [
    path("feed/", conditional_page(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", conditional_page(feeds.ArticleFeed(atom=True)), name="feed-atom"),
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
