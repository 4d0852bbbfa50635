"""The site's navigation, drawn by base.html: each app adds its links when it starts.

core knows no app, so an app registers a function returning its links in its AppConfig.ready();
the header and footer read them through the `navigation` context processor, lazily, so a page
that never draws them (a feed, an error page) never runs a query for them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    footer: bool = False  # repeated in the footer's short list
    header: bool = True  # in the header's row (and the phone menu); False: the footer alone


_providers = []


def register(provider):
    """Add `provider`, a callable returning NavLinks, to the site's navigation (in registration order)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def links():
    return [link for provider in _providers for link in provider()]
