"""The articles app's links in the site's navigation: every section, then the indexes."""

from django.urls import reverse

from articles.models import Section
from core.navigation import NavLink


def links():
    return [
        *(NavLink(section.name, section.get_absolute_url()) for section in Section.objects.all()),
        NavLink("Minerals", reverse("articles:mineral-index"), footer=True),
        NavLink("Countries", reverse("articles:country-index"), footer=True),
        NavLink("Sources", reverse("articles:source-register"), footer=True),
        NavLink("Corrections", reverse("articles:corrections"), footer=True),
    ]
