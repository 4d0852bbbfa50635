"""Addresses of signup, confirmation, unsubscribe and the archive of past updates."""

from datetime import date

from django.urls import path, register_converter

from core.page_cache import cacheable
from newsletter import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        # A ValueError (say, 2026-02-30) makes the URL not match: a 404, not a server error.
        return date.fromisoformat(value)

    def to_url(self, value):
        return str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "newsletter"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("thanks/", views.thanks, name="thanks"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("welcome/", views.welcome, name="welcome"),
    path("topics/<str:token>/", views.topics, name="topics"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/one-click/", views.unsubscribe_one_click, name="unsubscribe-one-click"),
    path("unsubscribed/", views.unsubscribed, name="unsubscribed"),
    path("archive/", cacheable(views.ArchiveListView.as_view(), query=["page"]), name="archive"),
    path("health/", views.health, name="health"),
    path("archive/<isodate:date>/", cacheable(views.ArchiveDetailView.as_view()), name="archive-detail"),
]
