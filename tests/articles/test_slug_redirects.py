"""Renaming a live article's slug: old addresses answer with a permanent redirect to the current one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, FormerSlug
from tests.support import factories

pytestmark = pytest.mark.django_db


def rename(article, slug):
    """A rename as a script or the shell does it: a plain model save."""
    article.slug = slug
    article.save()


def detail(slug):
    return reverse("articles:detail", kwargs={"slug": slug})


def test_old_slug_redirects_permanently(client):
    """After a rename the old address answers 301 with the new address."""
    article = factories.article(slug="lithium-deal")
    rename(article, "lithium-deal-signed")
    response = client.get(detail("lithium-deal"))
    assert response.status_code == 301
    assert response["Location"] == detail("lithium-deal-signed")
    assert client.get(detail("lithium-deal-signed")).status_code == 200


def test_chain_of_renames_redirects_in_one_hop(client):
    """A to B to C: both A and B go straight to C."""
    article = factories.article(slug="a-slug")
    rename(article, "b-slug")
    rename(article, "c-slug")
    for old in ("a-slug", "b-slug"):
        response = client.get(detail(old))
        assert (response.status_code, response["Location"]) == (301, detail("c-slug"))


def test_renaming_back_retires_the_redirect(client):
    """Taking a former slug back serves the article there and keeps the other old one redirecting."""
    article = factories.article(slug="first")
    rename(article, "second")
    rename(article, "first")
    assert client.get(detail("first")).status_code == 200
    assert client.get(detail("second"))["Location"] == detail("first")
    assert not FormerSlug.objects.filter(slug="first").exists()


def test_a_new_article_may_reuse_a_former_slug(client):
    """A live article at an address wins over the redirect another article left there."""
    old = factories.article(slug="quarterly-outlook", title="Q1 outlook")
    rename(old, "quarterly-outlook-q1")
    new = factories.article(slug="quarterly-outlook", title="Q2 outlook")
    response = client.get(detail("quarterly-outlook"))
    assert response.status_code == 200 and response.context["article"] == new
    # ...and when the newer one is renamed too, the address follows the newer one.
    rename(new, "quarterly-outlook-q2")
    assert client.get(detail("quarterly-outlook"))["Location"] == detail("quarterly-outlook-q2")


def test_unpublished_articles_do_not_redirect(client):
    """A former slug of an article that is no longer live answers 404, revealing nothing."""
    article = factories.article(slug="leak")
    rename(article, "leak-renamed")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get(detail("leak")).status_code == 404


def test_drafts_and_scheduled_renames_leave_no_redirect():
    """Only an address readers could have seen is kept: drafts and scheduled articles leave none."""
    draft = factories.article(slug="draft-slug", status=Article.Status.DRAFT)
    rename(draft, "draft-slug-2")
    scheduled = factories.article(slug="soon", publish_at=timezone.now() + timedelta(days=1))
    rename(scheduled, "soon-2")
    assert not FormerSlug.objects.exists()


def test_editor_renaming_in_the_admin_keeps_the_old_address(client):
    """The admin's change form records the old slug when an editor renames a live article."""
    editor = factories.user(superuser=True)
    article = factories.article(slug="admin-old", section=factories.section())
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, (list, tuple))
    }
    data.update(
        slug="admin-new",
        section=article.section.pk,
        status=article.status,
        publish_at_0=timezone.localtime(article.publish_at).strftime("%Y-%m-%d"),
        publish_at_1=timezone.localtime(article.publish_at).strftime("%H:%M:%S"),
        minerals="",
        countries="",
        hero_image="",
        **{"citations-TOTAL_FORMS": "0", "citations-INITIAL_FORMS": "0"},
        **{"corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0"},
    )
    data.pop("publish_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else None
    )
    client.logout()
    assert client.get(detail("admin-old"))["Location"] == detail("admin-new")


def test_redirect_keeps_the_query_string(client):
    """Parameters on a shared old link (campaign tags and the like) are carried to the new address."""
    article = factories.article(slug="cobalt-levy")
    rename(article, "cobalt-levy-doubled")
    response = client.get(detail("cobalt-levy") + "?utm_source=newsletter&utm_medium=email")
    assert response.status_code == 301
    assert response["Location"] == detail("cobalt-levy-doubled") + "?utm_source=newsletter&utm_medium=email"


def test_rename_through_the_write_path_keeps_the_old_address(client):
    """An import or command renaming through article_save leaves a redirect like a plain save does."""
    factories.article(slug="nickel-levy")
    article = Article.objects.get(slug="nickel-levy")
    article.slug = "nickel-levy-raised"
    services.article_save(article=article)
    assert client.get(detail("nickel-levy"))["Location"] == detail("nickel-levy-raised")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("钕价格上涨", "钕价格大涨"),
        ("литий-дорожает", "литий-подорожал"),
        ("côte-divoire-mine", "côte-divoire-mine-opens"),
        ("भारत-में-लिथियम", "lithium-in-india"),
    ],
)
def test_renames_in_any_script_redirect(client, old, new):
    """A live article whose slug is in any script keeps its old address when renamed by a plain save."""
    article = factories.article(slug=old)
    rename(article, new)
    response = client.get(detail(old))
    assert (response.status_code, response["Location"]) == (301, detail(new))
    assert client.get(detail(new)).status_code == 200


def test_article_without_a_slug_takes_its_title_in_its_own_script(client):
    """A title in any script makes the address when no slug is given (imports, the shell)."""
    article = factories.article(slug="", title="Литий дорожает: ¿qué sigue?")
    assert article.slug == "литий-дорожает-qué-sigue"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_renames_to_a_slug_in_any_script_in_the_admin(client):
    """The admin's slug field takes a slug in any script and the old address redirects."""
    article = factories.article(slug="lithium-india")
    client.force_login(factories.user(superuser=True))
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        factories.article_form_data(article, slug="भारत-में-लिथियम"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert client.get(detail("lithium-india"))["Location"] == detail("भारत-में-लिथियम")
