"""Disclaimers: kept as published until refreshed, listed when outdated, a site-wide default, never a bare
placeholder."""

import re

import pytest
from django.db import IntegrityError
from django.urls import reverse

from articles import services
from articles.models import Article, Disclaimer, Source
from articles.selectors import articles_with_outdated_disclaimer
from tests.support import factories as f
from tests.support.parsing import form_values

pytestmark = pytest.mark.django_db

TEMPLATE = "{source} is owned by {owner} and controlled by {controller}."


@pytest.fixture
def agency():
    return f.source(
        name="Harbour News Agency",
        kind=Source.Kind.STATE_MEDIA,
        owner="City Press Group",
        controlled_by="The provincial committee",
        default_disclaimer=f.disclaimer(text=TEMPLATE),
    )


def disclaimer_on_page(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    match = re.search(r'<aside class="disclaimer"[^>]*><p>(.*?)</p></aside>', html, re.S)
    return match.group(1) if match else None


def change_owner(source, owner):
    source.owner = owner
    source.save()


def test_a_published_disclaimer_survives_an_ownership_change_until_refreshed(client, agency):
    """Old articles keep the disclaimer they went out with; refreshing one brings today's facts, as a
    revision."""
    old = f.article(sources=[agency])
    said = "Harbour News Agency is owned by City Press Group and controlled by The provincial committee."
    assert disclaimer_on_page(client, old) == said
    change_owner(agency, "Harbour Holdings")
    new = f.article(sources=[agency])
    assert disclaimer_on_page(client, old) == said
    assert "Harbour Holdings" in disclaimer_on_page(client, new)
    editor = f.user(group="Editors")
    old.title = "An edit to the words"
    services.article_save(article=old, user=editor)
    assert disclaimer_on_page(client, old) == said  # an edit is not a refresh
    assert articles_with_outdated_disclaimer(agency) == [old]
    modified = Article.objects.get(pk=old.pk).modified_at
    assert services.articles_refresh_disclaimer(user=editor, articles=[Article.objects.get(pk=old.pk)]) == 1
    assert "Harbour Holdings" in disclaimer_on_page(client, old)
    assert articles_with_outdated_disclaimer(agency) == []
    latest = old.revisions.first()
    assert latest.changed == ["disclaimer_text"] and "Refreshed the disclaimer" in latest.summary
    assert Article.objects.get(pk=old.pk).modified_at == modified  # a disclaimer refresh is not an update


def test_choosing_another_disclaimer_or_lead_source_applies_at_once(client, agency):
    """The frozen text follows the article's own choices: its disclaimer, or its lead source."""
    article = f.article(sources=[agency])
    change_owner(agency, "Harbour Holdings")
    article.disclaimer = f.disclaimer(text="Read {source} with care.")
    services.article_save(article=article)
    assert disclaimer_on_page(client, article) == "Read Harbour News Agency with care."


def test_source_admin_lists_outdated_articles_and_refreshes_chosen_or_all(client, agency):
    """The source's admin page names the outdated articles; its refresh page refreshes ticked ones or all."""
    first, second, led_by_other = (
        f.article(title="First"),
        f.article(title="Second"),
        f.article(title="Other"),
    )
    for article in (first, second):
        services.article_save(
            article=article, save_related=lambda a=article: a.citations.create(source=agency, position=0)
        )
    led_by_other.citations.create(source=f.source(default_disclaimer=agency.default_disclaimer), position=0)
    led_by_other.citations.create(source=agency, position=1)
    change_owner(agency, "Harbour Holdings")
    client.force_login(f.user(group="Editors"))
    page = client.get(reverse("admin:articles_source_change", args=[agency.pk])).content.decode()
    assert (
        "2 published article(s) led by this source" in page and ">First</a>" in page and ">Other<" not in page
    )
    url = reverse("admin:articles_source_disclaimers", args=[agency.pk])
    compare = client.get(url).content.decode()
    assert "<del>City Press Group</del>" in compare and "<ins>Harbour Holdings</ins>" in compare
    client.post(url, {"article": [str(first.pk)], "refresh_selected": "1"})
    assert articles_with_outdated_disclaimer(agency) == [second]
    response = client.post(url, {"refresh_all": "1"}, follow=True)
    assert "Refreshed the disclaimer of 1 article(s)." in response.content.decode()
    assert articles_with_outdated_disclaimer(agency) == []


def test_writers_may_look_but_not_refresh(client, agency):
    """Refreshing rewrites published articles: editors only, on the page and in the service."""
    article = f.article(sources=[agency])
    change_owner(agency, "Harbour Holdings")
    client.force_login(f.user(group="Writers"))
    url = reverse("admin:articles_source_disclaimers", args=[agency.pk])
    assert 'name="refresh_all"' not in client.get(url).content.decode()
    client.post(url, {"refresh_all": "1"})
    assert articles_with_outdated_disclaimer(agency) == [article]


def test_bulk_refresh_from_the_article_list(client, agency):
    """The article list's refresh action brings selected published articles up to date."""
    article = f.article(sources=[agency])
    change_owner(agency, "Harbour Holdings")
    client.force_login(f.user(group="Editors"))
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "refresh_disclaimers", "_selected_action": [article.pk]},
    )
    assert "Harbour Holdings" in Article.objects.get(pk=article.pk).disclaimer_text()


def test_site_default_applies_when_nothing_else_names_one(client):
    """Without an article or lead-source disclaimer the site default applies, filled in; with none set,
    nothing shows."""
    plain = f.source(name="Meridian Wire", owner="Meridian Media")
    without_default = f.article(sources=[plain])
    assert disclaimer_on_page(client, without_default) is None
    services.disclaimer_set_site_default(disclaimer=f.disclaimer(text="We cite {source}, owned by {owner}."))
    with_default = f.article(sources=[plain])
    no_sources = f.article()
    assert disclaimer_on_page(client, with_default) == "We cite Meridian Wire, owned by Meridian Media."
    assert (
        disclaimer_on_page(client, no_sources) == "We cite an unnamed source, owned by an undisclosed owner."
    )
    assert disclaimer_on_page(client, without_default) is None  # published before the default existed


def test_one_site_default_at_a_time(client):
    """Ticking the box moves the default from the previous disclaimer; the database refuses two."""
    first, second = f.disclaimer(title="First"), f.disclaimer(title="Second")
    services.disclaimer_set_site_default(disclaimer=first)
    client.force_login(f.user(group="Editors"))
    url = reverse("admin:articles_disclaimer_change", args=[second.pk])
    data = form_values(client.get(url), "disclaimer_form")
    data["site_default"] = ["on"]
    assert client.post(url, data).status_code == 302
    assert Disclaimer.objects.site_default() == second
    assert not Disclaimer.objects.get(pk=first.pk).is_site_default
    data.pop("site_default")
    client.post(url, data)
    assert Disclaimer.objects.site_default() is None
    services.disclaimer_set_site_default(disclaimer=first)
    with pytest.raises(IntegrityError):
        Disclaimer.objects.filter(pk=second.pk).update(is_site_default=True)


def test_disclaimer_admin_refuses_an_unknown_placeholder(client):
    """A typo in a placeholder is a form error, never a template readers would see."""
    client.force_login(f.user(group="Editors"))
    response = client.post(
        reverse("admin:articles_disclaimer_add"), {"title": "Typo", "text": "Owned by {ownr}."}
    )
    assert response.status_code == 200 and "Unknown placeholder {ownr}" in response.content.decode()
    assert not Disclaimer.objects.filter(title="Typo").exists()


def test_source_pages_show_disclaimers_filled_in(client, agency):
    """A source page shows its disclaimer as readers of its articles see it, or the site default, never
    braces."""
    page = client.get(agency.get_absolute_url()).content.decode()
    assert "Harbour News Agency is owned by City Press Group" in page and "{source}" not in page
    f.article(sources=[agency])
    plain = f.source(name="Meridian Wire")
    services.disclaimer_set_site_default(disclaimer=f.disclaimer(text="Reports from {source} ({kind})."))
    f.article(sources=[plain])
    page = client.get(plain.get_absolute_url()).content.decode()
    assert "Reports from Meridian Wire (newspaper)." in page and "{" not in page.split("<main")[1]
