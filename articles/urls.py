from django.urls import path

from articles import views
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
