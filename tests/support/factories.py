"""Small builders for test data: each makes a valid object and takes overrides."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Citation,
    Correction,
    Country,
    Disclaimer,
    Mineral,
    Section,
    Source,
)
from articles.services import article_save, correction_save

_counter = itertools.count(1)


def _n():
    return next(_counter)


def section(**fields):
    n = _n()
    return Section.objects.create(**{"name": f"Section {n}", "slug": f"section-{n}", **fields})


def author(**fields):
    n = _n()
    return Author.objects.create(
        **{"name": f"Author {n}", "slug": f"author-{n}", "bio": f"Writes about mines ({n}).", **fields}
    )


def mineral(**fields):
    n = _n()
    return Mineral.objects.create(**{"name": f"Mineral {n}", "slug": f"mineral-{n}", **fields})


def country(**fields):
    n = _n()
    return Country.objects.create(**{"name": f"Country {n}", "slug": f"country-{n}", **fields})


def disclaimer(**fields):
    n = _n()
    return Disclaimer.objects.create(
        **{"title": f"Disclaimer {n}", "text": "{source} is owned by {owner} in {country}.", **fields}
    )


def source(**fields):
    n = _n()
    return Source.objects.create(
        **{"name": f"Source {n}", "slug": f"source-{n}", "owner": f"Owner {n}", **fields}
    )


def article(*, authors=(), minerals=(), countries=(), sources=(), **fields):
    """A live article unless status or publish_at say otherwise."""
    n = _n()
    values = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "dek": f"Dek of article {n}.",
        "body": f"<p>Body of article {n}.</p>",
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(hours=1),
        **fields,
    }
    if "section" not in values:
        values["section"] = section()
    obj = Article(**values)

    def save_related():
        obj.authors.set(authors)
        obj.minerals.set(minerals)
        obj.countries.set(countries)
        for position, cited in enumerate(sources):
            Citation.objects.create(
                article=obj, source=cited, position=position, url=f"https://example.org/{n}/{position}"
            )

    article_save(article=obj, save_related=save_related)
    return obj


def article_form_data(article, **changes):
    """What the admin's article change form posts for `article`, with `changes` on top."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "dek": article.dek,
        "highlights": "",
        "body": article.body,
        "section": article.section_id,
        "authors": [],
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "minerals": "",
        "countries": "",
        "disclaimer": "",
        "status": article.status,
        "publish_at_0": timezone.localtime(article.publish_at).strftime("%Y-%m-%d"),
        "publish_at_1": timezone.localtime(article.publish_at).strftime("%H:%M:%S"),
        "allow_comments": "on",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def user(*, group=None, staff=True, superuser=False, **fields):
    n = _n()
    obj = User.objects.create_user(
        username=fields.pop("username", f"user{n}"),
        password="a-long-test-password",
        is_staff=staff,
        is_superuser=superuser,
        **fields,
    )
    if group:
        obj.groups.add(Group.objects.get(name=group))
    return obj


def correction(*, article, user=None, **fields):
    """A correction on a published article, attached through the write path."""
    obj = Correction(article=article, **{"text": "An earlier version misstated the quota.", **fields})
    return correction_save(correction=obj, user=user)
