"""Corrections: on the article by kind, on /corrections/ and its feeds, in JSON-LD, and in the next daily
update."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import correction_delete
from core.site import absolute_url
from newsletter.emails import render_digest
from tests.support import factories as f
from tests.support.factories_newsletter import daily_update
from tests.support.parsing import form_values, json_ld_blocks, parse_xml

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def story():
    return f.article(title="Cobalt quota set", body="<p>The ministry set the quota at 96,600 tonnes.</p>")


def test_corrections_show_at_the_top_or_bottom_by_kind(client, story):
    """Corrections and updates come before the text, clarifications after it, each with its date."""
    f.correction(
        article=story,
        kind=Correction.Kind.CORRECTION,
        text="The quota is 96,600 tonnes, not 69,600.",
        date=date(2026, 3, 2),
    )
    f.correction(article=story, kind=Correction.Kind.CLARIFICATION, text="The quota covers refined output.")
    f.correction(article=story, kind=Correction.Kind.UPDATE, text="Exporters have since filed objections.")
    page = client.get(story.get_absolute_url()).content.decode()
    html = page[page.index("<main") :]  # the head's JSON-LD carries them too
    body = html.index("The ministry set the quota")
    assert html.index("not 69,600") < body and html.index("since filed objections") < body
    assert html.index("covers refined output") > body
    assert 'Correction, <time datetime="2026-03-02">2 March 2026</time>' in html


def test_corrections_page_lists_live_articles_newest_first(client, story):
    """/corrections/ lists corrections on live articles, newest date first, linking to each on its article."""
    older = f.correction(article=story, text="Older fix.", date=date(2026, 1, 5))
    newer = f.correction(article=f.article(title="Lithium brine"), text="Newer fix.", date=date(2026, 2, 5))
    hidden = f.article(title="Later withdrawn")
    f.correction(article=hidden, text="Hidden fix.")
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)
    html = client.get(reverse("articles:corrections")).content.decode()
    assert html.index("Newer fix.") < html.index("Older fix.") and "Hidden fix." not in html
    assert f'href="{older.get_absolute_url()}"' in html and f"#correction-{newer.pk}" in html
    assert reverse("articles:corrections") in client.get("/").content.decode()


def test_corrections_feeds(client, story, settings):
    """The corrections page has RSS and Atom feeds of its own, newest first, with stable ids."""
    settings.SITE_URL = "https://news.example.org"
    first = f.correction(article=story, text="First fix.", date=date(2026, 1, 5))
    f.correction(article=story, kind=Correction.Kind.UPDATE, text="Second note.", date=date(2026, 2, 5))
    items = parse_xml(client.get(reverse("articles:corrections-feed"))).find("channel").findall("item")
    assert [item.findtext("description") for item in items] == ["Second note.", "First fix."]
    assert items[0].findtext("title") == "Update: Cobalt quota set"
    assert items[1].findtext("link") == f"https://news.example.org{first.get_absolute_url()}"
    assert items[1].findtext("guid").endswith(f":correction:{first.pk}")
    entries = parse_xml(client.get(reverse("articles:corrections-feed-atom"))).findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert (
        reverse("articles:corrections-feed") in client.get(reverse("articles:corrections")).content.decode()
    )


def test_corrections_are_in_the_json_ld(client, story):
    """The NewsArticle's schema.org `correction` lists each correction with its date and text."""
    correction = f.correction(article=story, text="The quota is 96,600 tonnes.", date=date(2026, 3, 2))
    news = next(
        data
        for data, _ in json_ld_blocks(client.get(story.get_absolute_url()))
        if data["@type"] == "NewsArticle"
    )
    assert news["correction"] == [
        {
            "@type": "CorrectionComment",
            "name": "Correction",
            "text": "The quota is 96,600 tonnes.",
            "datePublished": "2026-03-02",
            "url": absolute_url(f"{story.get_absolute_url()}#correction-{correction.pk}"),
        }
    ]
    plain = f.article()
    news = next(
        data
        for data, _ in json_ld_blocks(client.get(plain.get_absolute_url()))
        if data["@type"] == "NewsArticle"
    )
    assert "correction" not in news


def test_only_editors_correct_and_only_published_articles(story):
    """Writers cannot attach or remove corrections; a draft cannot carry one."""
    writer = f.user(group="Writers")
    with pytest.raises(PermissionDenied):
        f.correction(article=story, user=writer)
    with pytest.raises(ValidationError):
        f.correction(article=f.article(status=Article.Status.DRAFT), user=f.user(group="Editors"))
    correction = f.correction(article=story)
    with pytest.raises(PermissionDenied):
        correction_delete(correction=correction, user=writer)
    assert story.corrections.count() == 1


def test_a_correction_is_a_revision_and_moves_updated(story):
    """Adding or removing a correction keeps a revision of the article and moves its "Updated" time."""
    editor = f.user(group="Editors")
    before = Article.objects.get(pk=story.pk).modified_at
    correction = f.correction(article=story, user=editor)
    article = Article.objects.get(pk=story.pk)
    assert article.modified_at > before and article.was_updated
    latest = story.revisions.first()
    assert (
        latest.changed == ["corrections"]
        and latest.summary == "Added a correction"
        and latest.created_by == editor
    )
    correction_delete(correction=correction, user=editor)
    assert story.revisions.first().summary == "Removed a correction" and not story.corrections.exists()


def test_editor_adds_a_correction_in_the_article_form(client, story):
    """The corrections inline on the article form saves through the write path and records the editor."""
    editor = f.user(group="Editors")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_values(client.get(url), "article_form")
    data.update(
        {
            "corrections-TOTAL_FORMS": ["1"],
            "corrections-0-kind": ["clarification"],
            "corrections-0-date": ["2026-03-02"],
            "corrections-0-text": ["Refined output only."],
        }
    )
    assert client.post(url, data).status_code == 302
    correction = story.corrections.get()
    assert correction.created_by == editor and correction.kind == "clarification" and not correction.material
    assert story.revisions.first().changed == ["corrections"]


def test_writers_see_corrections_read_only(client, story):
    """The inline is read-only for writers, and the corrections list offers them no add button."""
    f.correction(article=story, text="Fixed figure.")
    client.force_login(f.user(group="Writers"))
    page = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    (inline,) = [fs for fs in page.context["inline_admin_formsets"] if fs.formset.model is Correction]
    assert not inline.has_add_permission and not inline.has_change_permission
    assert client.get(reverse("admin:articles_correction_add")).status_code == 403


def test_correction_admin_saves_through_the_write_path(client, story):
    """Adding a correction on the corrections admin page keeps a revision and refuses a draft with a form
    error."""
    client.force_login(f.user(group="Editors"))
    add = reverse("admin:articles_correction_add")
    data = {
        "article": story.pk,
        "kind": "correction",
        "date": "2026-03-02",
        "text": "Fixed.",
        "material": "on",
    }
    assert client.post(add, data).status_code == 302
    assert story.revisions.first().summary == "Added a correction"
    draft = f.article(status=Article.Status.DRAFT)
    response = client.post(add, {**data, "article": draft.pk})
    assert response.status_code == 200 and "Corrections go on published articles" in response.content.decode()


def test_material_corrections_are_selected_by_when_they_were_marked(story):
    """material_between finds corrections marked material within the window, on live articles only."""
    start = timezone.now()
    material = f.correction(article=story, material=True, text="Material.")
    f.correction(article=story, text="Minor.")
    end = timezone.now()
    assert list(Correction.objects.material_between(start, end)) == [material]
    assert not Correction.objects.material_between(end, end + timedelta(hours=1)).exists()
    material.material = False
    material.save()
    assert material.marked_material_at is None
    assert not Correction.objects.material_between(start, end + timedelta(hours=1)).exists()


def test_daily_update_mentions_material_corrections_in_its_window(story):
    """The digest's text and HTML name each material correction marked during the update's window."""
    material = f.correction(article=story, material=True, text="The quota is 96,600 tonnes.")
    f.correction(article=story, text="A minor spelling fix.")
    update = daily_update(
        window_start=material.marked_material_at - timedelta(minutes=1),
        window_end=timezone.now() + timedelta(minutes=1),
    )
    text, html = render_digest(update, [story])
    for part in (text, html):
        assert "The quota is 96,600 tonnes." in part and "A minor spelling fix." not in part
        assert f"#correction-{material.pk}" in part
    later = daily_update(
        window_start=timezone.now() + timedelta(minutes=2), window_end=timezone.now() + timedelta(hours=1)
    )
    assert "Corrections" not in render_digest(later, [story])[0]
