"""Provenance checks: each rule warns editors before and when publishing, naming the rule and the sources,
never blocking."""

import pytest
from django.urls import reverse

from articles.models import Article, Source
from articles.provenance import NO_PRIMARY_SOURCE, SINGLE_SOURCE, STATE_MEDIA_ONLY, provenance_warnings
from tests.support import factories as f
from tests.support.parsing import form_values

pytestmark = pytest.mark.django_db

Kind = Source.Kind


def codes(sources):
    return [warning.code for warning in provenance_warnings(sources)]


def test_each_rule():
    """All state media, a single source and no primary source are each caught alone and together."""
    state_a = f.source(name="Harbour Daily", kind=Kind.STATE_MEDIA)
    state_b = f.source(name="Capital Radio", kind=Kind.STATE_MEDIA)
    ministry = f.source(name="Ministry of Mines", kind=Kind.GOVERNMENT)
    wire = f.source(name="Meridian Wire", kind=Kind.WIRE)
    assert codes([state_a, state_b]) == [STATE_MEDIA_ONLY, NO_PRIMARY_SOURCE]
    assert codes([state_a]) == [SINGLE_SOURCE, STATE_MEDIA_ONLY, NO_PRIMARY_SOURCE]
    assert codes([ministry]) == [SINGLE_SOURCE]
    assert codes([ministry, ministry]) == [SINGLE_SOURCE]  # one outlet cited twice is still one source
    assert codes([wire, state_a]) == [NO_PRIMARY_SOURCE]
    assert codes([state_a, ministry]) == []
    assert (
        codes([f.source(kind=Kind.COMPANY), wire]) == [] and codes([f.source(kind=Kind.RESEARCH), wire]) == []
    )
    assert codes([]) == [NO_PRIMARY_SOURCE]


def test_a_warning_names_its_rule_and_sources():
    """What an editor reads: the rule, then the sources it is about."""
    (single, state, primary) = provenance_warnings([f.source(name="Harbour Daily", kind=Kind.STATE_MEDIA)])
    assert str(single) == "Only one source is cited: Harbour Daily."
    assert str(state) == "Every cited source is state media: Harbour Daily."
    assert str(primary) == "No primary source (government, company or research) is cited: Harbour Daily."
    (none,) = provenance_warnings([])
    assert str(none).endswith("is cited: no sources cited.")


@pytest.fixture
def in_review():
    sources = [
        f.source(name="Harbour Daily", kind=Kind.STATE_MEDIA),
        f.source(name="Capital Radio", kind=Kind.STATE_MEDIA),
    ]
    return f.article(title="Magnet quota", status=Article.Status.IN_REVIEW, sources=sources)


def test_the_change_page_warns_before_publishing(client, in_review):
    """An editor opening an article in review sees the rules it breaks and the sources, above the form."""
    client.force_login(f.user(group="Editors"))
    page = client.get(reverse("admin:articles_article_change", args=[in_review.pk])).content.decode()
    assert "<strong>Every cited source is state media</strong>: Harbour Daily, Capital Radio." in page
    assert "<strong>No primary source (government, company or research) is cited</strong>" in page
    assert "Only one source is cited" not in page


def test_publishing_is_warned_about_not_blocked(client, in_review):
    """Publishing from the form goes ahead, with a warning message per rule naming the sources."""
    client.force_login(f.user(group="Editors"))
    url = reverse("admin:articles_article_change", args=[in_review.pk])
    data = form_values(client.get(url), "article_form")
    data["status"] = ["published"]
    response = client.post(url, data, follow=True)
    assert Article.objects.get(pk=in_review.pk).is_live
    text = response.content.decode()
    assert (
        "went out with a provenance warning. Every cited source is state media: Harbour Daily, Capital Radio."
        in text
    )
    assert (
        "No primary source (government, company or research) is cited: Harbour Daily, Capital Radio." in text
    )


def test_bulk_publishing_warns_per_article(client, in_review):
    """The list's publish action names each article's broken rules; a well-sourced one gets none."""
    sound = f.article(
        title="Well sourced",
        status=Article.Status.DRAFT,
        sources=[f.source(kind=Kind.GOVERNMENT), f.source(kind=Kind.WIRE)],
    )
    client.force_login(f.user(group="Editors"))
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [in_review.pk, sound.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Published 2 article(s)." in text
    assert "“Magnet quota” went out with a provenance warning." in text and "“Well sourced”" not in text


def test_preview_shows_the_warnings(client, in_review):
    """The staff preview, where editors read before publishing, lists the same warnings."""
    client.force_login(f.user(group="Editors"))
    page = client.get(in_review.get_preview_url()).content.decode()
    assert "Provenance warning. Every cited source is state media: Harbour Daily, Capital Radio." in page
