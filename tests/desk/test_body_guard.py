"""The server refuses a body that turns a caption or a quote's credit into ordinary text, and only that."""

import pytest
from django.test import Client

from articles.body_guard import lost_parts
from articles.models import Article
from tests.support import factories as f

pytestmark = pytest.mark.django_db

TABLE = (
    '<table><caption>Exports by month</caption><thead><tr><th scope="col"><p>Month</p></th></tr></thead>'
    "<tbody><tr><td><p>July</p></td></tr></tbody></table>"
)
QUOTE = "<blockquote><p>A measured step.</p><p><cite>The commissioner</cite></p></blockquote>"
FIGURE = (
    '<figure><img src="https://cdn.example.com/a.jpg" alt="Ingots">'
    "<figcaption>Ingots at a refinery</figcaption></figure>"
)
BODY = "<p>First.</p>" + TABLE + QUOTE + FIGURE


@pytest.mark.parametrize(
    ("damaged", "name"),
    [
        (
            BODY.replace(
                "<caption>Exports by month</caption><thead>",
                "<thead><tr><td><p>Exports by month</p></td></tr>",
            ),
            "table caption",
        ),
        (BODY.replace("<p><cite>The commissioner</cite></p>", "<p>The commissioner</p>"), "quote's credit"),
        (
            BODY.replace(
                "<figcaption>Ingots at a refinery</figcaption>",
                "</figure><p>Ingots at a refinery</p><figure>",
            ),
            None,
        ),
        (
            BODY.replace(
                "<figcaption>Ingots at a refinery</figcaption></figure>",
                "<p>Ingots at a refinery</p></figure>",
            ),
            "picture caption",
        ),
    ],
)
def test_a_part_whose_words_stay_in_its_holder_is_reported_lost(damaged, name):
    """A caption or credit turned into text inside its table, quote or figure is damage; words moved out of
    the figure altogether are an edit."""
    assert lost_parts(BODY, damaged) == ([(name, _words(name))] if name else [])


def _words(name):
    return {
        "table caption": "Exports by month",
        "quote's credit": "The commissioner",
        "picture caption": "Ingots at a refinery",
    }[name]


@pytest.mark.parametrize(
    "edited",
    [
        BODY.replace("First.", "First, edited."),
        BODY.replace(TABLE, ""),
        BODY.replace("<caption>Exports by month</caption>", ""),
        BODY.replace("<caption>Exports by month</caption>", "<caption>Exports by week</caption>"),
        BODY.replace("<p><cite>The commissioner</cite></p>", ""),
        BODY.replace(
            '<thead><tr><th scope="col"><p>Month</p></th></tr></thead><tbody>',
            "<tbody><tr><td><p>Month</p></td></tr>",
        ),
    ],
)
def test_edits_that_remove_or_reword_a_part_are_not_damage(edited):
    """Deleting a caption, a credit or a whole table, rewording a caption and moving a header row into the
    body are an editor's choices."""
    assert lost_parts(BODY, edited) == []


def test_admin_refuses_a_save_that_would_lose_a_caption_and_keeps_the_story(client: Client):
    """The change form answers with a form error naming the caption, and the stored body is untouched."""
    article = f.article(body=BODY)
    client.force_login(f.user(superuser=True))
    damaged = article.body.replace(
        "<caption>Exports by month</caption><thead>", "<thead><tr><td>Exports by month</td></tr>"
    )
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", f.article_form_data(article, body=damaged)
    )
    assert response.status_code == 200
    assert "the table caption “Exports by month” would become ordinary text" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == article.body


def test_admin_saves_an_ordinary_edit_of_the_same_story(client: Client):
    """An edit that keeps the caption is saved as usual."""
    article = f.article(body=BODY)
    client.force_login(f.user(superuser=True))
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        f.article_form_data(article, body=article.body.replace("First.", "First, edited.")),
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body.startswith("<p>First, edited.</p>")
