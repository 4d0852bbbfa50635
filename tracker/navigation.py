"""The tracker's link in the site's navigation."""

from django.urls import reverse

from core.navigation import NavLink


def links():
    return [NavLink("Tracker", reverse("tracker:list"), footer=True)]
