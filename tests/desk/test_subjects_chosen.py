"""Minerals and countries are chosen from those the desk keeps: a typo never makes one, only editors add
them (with a symbol or ISO code), and subjects with no live article stay off the public lists."""

import pytest
from django.urls import reverse

from articles.models import Article, Country, Mineral
from newsletter.forms import SignupForm
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def change(client, article, **changes):
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]), f.article_form_data(article, **changes)
    )


def test_a_typed_name_is_refused_and_makes_no_subject(client):
    """A name posted instead of a chosen mineral is a form error; no mineral is made and nothing is saved."""
    client.force_login(f.user(group="Editors"))
    article = f.article(title="Lithium prices")
    response = change(client, article, title="Changed", minerals=["Lithum"])
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["minerals"])
    assert "“Lithum” is not one of the minerals the desk keeps" in errors
    assert not Mineral.objects.filter(name="Lithum").exists()
    assert Article.objects.get(pk=article.pk).title == "Lithium prices"


def test_a_chosen_subject_is_saved(client):
    """Minerals and countries chosen by key are the article's tags after the save."""
    client.force_login(f.user(group="Editors"))
    article = f.article()
    lithium, chile = f.mineral(name="Lithium"), f.country(name="Chile")
    response = change(client, article, minerals=[str(lithium.pk)], countries=[str(chile.pk)])
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert list(article.minerals.all()) == [lithium] and list(article.countries.all()) == [chile]


def test_the_autocomplete_offers_the_desks_subjects_to_a_writer(client):
    """A writer's autocomplete lists existing minerals matching what they type."""
    f.mineral(name="Lithium")
    f.mineral(name="Cobalt")
    client.force_login(f.user(group="Writers"))
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "minerals", "term": "lith"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Lithium"]


def test_only_editors_add_subjects_and_with_their_code(client):
    """Writers cannot add a country; an editor must give its ISO code, and a mineral its symbol."""
    client.force_login(f.user(group="Writers"))
    assert client.get(reverse("admin:articles_country_add")).status_code == 403
    client.force_login(f.user(group="Editors"))
    response = client.post(
        reverse("admin:articles_country_add"), {"name": "Chile", "slug": "", "iso_code": ""}
    )
    assert response.status_code == 200 and not Country.objects.filter(name="Chile").exists()
    assert "This field is required" in str(response.context["adminform"].form.errors["iso_code"])
    response = client.post(
        reverse("admin:articles_mineral_add"), {"name": "Gallium", "slug": "", "symbol": ""}
    )
    assert response.status_code == 200 and not Mineral.objects.filter(name="Gallium").exists()
    response = client.post(
        reverse("admin:articles_country_add"), {"name": "Chile", "slug": "", "iso_code": "CL"}
    )
    assert response.status_code == 302 and Country.objects.get(name="Chile").iso_code == "CL"


def test_subjects_without_a_live_article_stay_off_public_lists(client):
    """A country known only from a source and a mineral tagged only on a draft are on no list readers or
    subscribers see; those on a live article are."""
    lithium, gallium = f.mineral(name="Lithium"), f.mineral(name="Gallium")
    chile, japan = f.country(name="Chile"), f.country(name="Japan")
    f.source(name="Tokyo Wire", country=japan)
    f.article(minerals=[lithium], countries=[chile])
    f.article(minerals=[gallium], status=Article.Status.DRAFT)
    countries = client.get(reverse("articles:country-index")).content.decode()
    minerals = client.get(reverse("articles:mineral-index")).content.decode()
    assert "Chile" in countries and "Japan" not in countries
    assert "Lithium" in minerals and "Gallium" not in minerals
    form = SignupForm()
    assert list(form.fields["minerals"].queryset) == [lithium]
    assert list(form.fields["countries"].queryset) == [chile]
    assert client.get(japan.get_absolute_url()).status_code == 200
