"""Readership's public addresses: the beacon, the daily update's click redirect and the privacy page."""

from django.urls import path
from django.views.generic import TemplateView

from core.page_cache import cacheable
from readership import views

app_name = "readership"

urlpatterns = [
    path("beacon/", views.beacon_view, name="beacon"),
    path("r/<str:token>/", views.click_view, name="click"),
    path(
        "privacy/", cacheable(TemplateView.as_view(template_name="readership/privacy.html")), name="privacy"
    ),
]
