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
        # The record of corrections is looked up, not browsed: the footer keeps the header to one row.
        NavLink("Corrections", reverse("articles:corrections"), footer=True, header=False),
    ]
