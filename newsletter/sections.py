"""Sections other apps add to the daily update, without the newsletter knowing them.

settings.NEWSLETTER_SECTIONS names providers by dotted path (the tracker's "Measures", for one).
A provider is an object with two methods:

- `has_news(*, window_start, window_end)`: whether it has something new for the update covering
  that window, for anyone. A day with no new article still gets an update when one has news.
- `section(*, daily_update, minerals, countries)`: for a subscriber with these topics (empty: every
  topic), an object with a `title` and `items`, each item with `text`, `url` and `detail` (the
  digest templates show them), or None when it has nothing for them.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def providers():
    return [import_string(path) for path in settings.NEWSLETTER_SECTIONS]


def has_news(*, window_start, window_end):
    return any(
        provider.has_news(window_start=window_start, window_end=window_end) for provider in providers()
    )


def sections_for(daily_update, *, minerals=(), countries=()):
    """The providers' sections for one topic set, those with nothing left out."""
    found = (
        provider.section(daily_update=daily_update, minerals=list(minerals), countries=list(countries))
        for provider in providers()
    )
    return [section for section in found if section is not None and section.items]
