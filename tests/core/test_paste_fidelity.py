"""Documents pasted from Word, LibreOffice, Google Docs and web pages keep their structure when saved, by
every path."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from core.sanitizer import clean_article_html
from tests.support import factories as f

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent.parent / "support" / "paste_corpus"
DOCUMENTS = ["word_desktop", "google_docs", "libreoffice", "web_page"]
# Script and style text as a paste brings it: none of it may reach readers.
HIDDEN = '<style>p.MsoNormal{margin:0cm}</style><script>document.title="x"</script><p>Kept</p>'


def pasted(name):
    return (CORPUS / f"{name}.html").read_text()


def expected(name):
    """The saved body, written one block per line in the corpus for reading."""
    return "".join(line.strip() for line in (CORPUS / f"{name}.expected.html").read_text().splitlines())


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pasted_document_is_saved_as_the_editor_would_keep_it(name):
    """Each document of the corpus cleans to its expected body, and cleaning that again changes nothing."""
    body = clean_article_html(pasted(name))
    assert body == expected(name)
    assert clean_article_html(body) == body


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pasted_document_keeps_what_readers_see_and_nothing_else(name):
    """Headings, nested lists, links, emphasis and tables survive; styles, classes, Word's markup and empty
    images go."""
    body = clean_article_html(pasted(name))
    for kept in (
        "<h2>",
        "<li><p>",
        "</p><ul><li><p>" if name != "web_page" else "</p><ol><li><p>",
        '<a href="https://',
        "<strong>",
        "<table>",
        "<td><p>",
    ):
        assert kept in body, kept
    for dropped in (
        "style=",
        "class=",
        "Mso",
        "mso-",
        "<o:p",
        "<span",
        "<font",
        "<div",
        "<b>",
        "<i>",
        "Normal",
        "font-family",
        "file:///",
        "data:",
        "<img>",
        "docs-internal",
        "<![",
        "<!--",
    ):
        assert dropped not in body, dropped


def test_word_lists_keep_their_kind_levels_and_bullets_out_of_the_text():
    """Word's bullets become a nested bulleted list, its numbers an ordered list, the markers gone from the
    text."""
    body = clean_article_html(pasted("word_desktop"))
    assert (
        "<ul><li><p>Export licences for refined cobalt</p><ul><li><p>Hydroxide included</p></li>"
        "<li><p>Metal <strong>excluded</strong></p></li></ul></li>"
        "<li><p>A 30-day review for each shipment</p></li></ul>"
    ) in body
    assert "<ol><li><p>Apply to the ministry</p></li><li><p>Wait for the end-use check</p></li></ol>" in body
    assert "·" not in body and "o\xa0" not in body


@pytest.mark.parametrize(
    ("markers", "kind"),
    [
        (("1.", "2."), "<ol>"),
        (("3.", "4."), '<ol start="3">'),
        (("a)", "b)"), '<ol type="a">'),
        (("i.", "ii."), '<ol type="i">'),
        (("·", "·"), "<ul>"),
        (("§", "§"), "<ul>"),
    ],
)
def test_word_list_markers_decide_the_kind_of_list(markers, kind):
    """Numbers, letters and roman numerals make ordered lists (with their start and type); bullets make
    bulleted ones."""
    html = "".join(
        "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>"
        "<![if !supportLists]><span style='mso-list:Ignore'>"
        f"{marker}<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp; </span></span>"
        f"<![endif]>Item {n}</p>"
        for n, marker in enumerate(markers)
    )
    closing = "</ol>" if kind.startswith("<ol") else "</ul>"
    assert clean_article_html(html) == f"{kind}<li><p>Item 0</p></li><li><p>Item 1</p></li>{closing}"


def test_paragraphs_pasted_with_bullet_characters_become_a_list():
    """Bulleted lines that lost their list (plain text, another editor) are made a list again."""
    assert clean_article_html("<p>Exports:</p><p>•\tLithium</p><p>• Cobalt</p>") == (
        "<p>Exports:</p><ul><li><p>Lithium</p></li><li><p>Cobalt</p></li></ul>"
    )


def test_document_headings_start_under_the_page_title():
    """The page's h1 is the headline: a document's h1 becomes h2, its h2 h3, and nothing goes past h4."""
    assert (
        clean_article_html("<h1>A</h1><h2>B</h2><h3>C</h3><h6>D</h6>")
        == "<h2>A</h2><h3>B</h3><h4>C</h4><h4>D</h4>"
    )
    assert clean_article_html("<h2>A</h2><h3>B</h3>") == "<h2>A</h2><h3>B</h3>"


def save_by_admin(client, body):
    client.force_login(f.user(superuser=True))
    article = f.article()
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), f.article_form_data(article, body=body)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return article.pk


def save_by_service(client, body):
    article = f.article()
    article.body = body
    services.article_save(article=article)
    return article.pk


def save_by_model(client, body):
    article = f.article()
    loaded = Article.objects.get(pk=article.pk)  # the row as a script or the shell loads it
    loaded.body = body
    loaded.save()
    return article.pk


def save_by_fixture(client, body, tmp_path=None):
    section = f.section()
    now = timezone.now().isoformat()
    fixture = Path(tmp_path) / "import.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "articles.article",
                    "pk": 990001,
                    "fields": {
                        "title": "Imported",
                        "slug": "imported",
                        "body": body,
                        "section": section.pk,
                        "status": "published",
                        "publish_at": now,
                        "created_at": now,
                        "updated_at": now,
                    },
                }
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    return 990001


SAVE_PATHS = {
    "admin": save_by_admin,
    "article_save": save_by_service,
    "model save": save_by_model,
    "fixture import": save_by_fixture,
}


@pytest.mark.parametrize("path", SAVE_PATHS)
@pytest.mark.parametrize("name", ["word_desktop", "google_docs"])
def test_every_save_path_keeps_the_pasted_structure(client, tmp_path, path, name):
    """The admin form, article_save, a plain model save and a fixture import all store the cleaned
    document."""
    save = SAVE_PATHS[path]
    pk = save(client, pasted(name), tmp_path) if path == "fixture import" else save(client, pasted(name))
    assert Article.objects.get(pk=pk).body == expected(name)


@pytest.mark.parametrize("path", SAVE_PATHS)
def test_every_save_path_removes_scripts_and_styles_with_their_text(client, tmp_path, path):
    """Style sheets and scripts vanish with their content, whichever path saves the body."""
    save = SAVE_PATHS[path]
    pk = save(client, HIDDEN, tmp_path) if path == "fixture import" else save(client, HIDDEN)
    assert Article.objects.get(pk=pk).body == "<p>Kept</p>"


def test_editor_paste_endpoint_answers_with_the_cleaned_document(client):
    """The editor posts a paste and gets back the body a save would store."""
    client.force_login(f.user(superuser=True))
    response = client.post(reverse("admin:articles_article_paste"), {"html": pasted("word_desktop")})
    assert response.status_code == 200
    assert response.json() == {"html": expected("word_desktop")}


def test_editor_paste_endpoint_is_for_staff_with_a_csrf_token(client):
    """Readers are sent to the login page, a GET is refused, and a cross-site POST fails the CSRF check."""
    url = reverse("admin:articles_article_paste")
    assert client.post(url, {"html": "<p>x</p>"}).status_code == 302  # to the admin login
    client.force_login(f.user(superuser=True))
    assert client.get(url).status_code == 405
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(f.user(superuser=True))
    assert guarded.post(url, {"html": "<p>x</p>"}).status_code == 403


def test_editor_paste_endpoint_refuses_what_no_body_could_hold(client, settings):
    """A paste far beyond the body limit is refused with a message, not cleaned."""
    settings.ARTICLE_BODY_MAX_CHARS = 100
    client.force_login(f.user(superuser=True))
    response = client.post(reverse("admin:articles_article_paste"), {"html": "<p>" + "x" * 2000 + "</p>"})
    assert response.status_code == 413 and "limit" in response.json()["error"]
