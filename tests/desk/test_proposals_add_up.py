"""A writer's second save of a live article builds on their pending proposal instead of replacing it."""

import pytest
from django.urls import reverse

from articles.models import Article, ArticleRevision
from tests.support import factories as f
from tests.support.parsing import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return f.article(
        title="Gallium exports resume",
        dek="Licences granted.",
        highlights="First licences granted",
        minerals=[f.mineral(name="Gallium")],
        sources=[f.source(name="Harbour News Agency")],
    )


@pytest.fixture
def writer():
    return f.user(group="Writers")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def save_from_form(client, article, **changes):
    """Post the change form as the browser shows it, with `changes` typed in."""
    data = form_values(client.get(change_url(article)), "article_form")
    data.update({name: [value] if isinstance(value, str) else value for name, value in changes.items()})
    response = client.post(change_url(article), data, follow=True)
    assert response.status_code == 200 and b"errornote" not in response.content, response.content[:3000]
    return data


def test_standfirst_then_highlights_leave_one_proposal_carrying_both(client, live, writer):
    """The form shows the pending standfirst, and saving highlights on top keeps it in the one proposal."""
    client.force_login(writer)
    save_from_form(client, live, dek="Licences granted to three exporters.")
    shown = save_from_form(client, live, highlights="Three exporters licensed")
    assert shown["dek"] == ["Licences granted to three exporters."]

    pending = ArticleRevision.objects.pending().get(article=live)
    assert pending.snapshot["dek"] == "Licences granted to three exporters."
    assert pending.snapshot["highlights"] == "Three exporters licensed"
    assert set(pending.changed) == {"dek", "highlights"}
    assert ArticleRevision.objects.filter(article=live, state=ArticleRevision.State.WITHDRAWN).count() == 1
    live.refresh_from_db()
    assert (live.dek, live.highlights) == ("Licences granted.", "First licences granted")


def test_proposed_sources_and_tags_survive_a_later_save(client, live, writer):
    """A citation and a country added in the first proposal are still in it after a second save."""
    client.force_login(writer)
    wire = f.source(name="Meridian Wire")
    japan = f.country(name="Japan")
    save_from_form(
        client,
        live,
        countries=[str(japan.pk)],
        **{"citations-1-source": str(wire.pk), "citations-1-url": "https://wire.example.com/1"},
    )
    shown = save_from_form(client, live, dek="A later standfirst.")
    assert shown["countries"] == [str(japan.pk)]
    assert shown["citations-INITIAL_FORMS"] == ["0"]

    pending = ArticleRevision.objects.pending().get(article=live)
    assert [c["source"] for c in pending.snapshot["citations"]] == ["Harbour News Agency", "Meridian Wire"]
    assert pending.snapshot["countries"] == ["Japan"] and pending.snapshot["dek"] == "A later standfirst."
    assert list(Article.objects.get(pk=live.pk).citations.values_list("source__name", flat=True)) == [
        "Harbour News Agency"
    ]


def test_editor_reviews_the_whole_change_from_the_published_version(client, live, writer):
    """The review page compares the proposal with the live article: both saves' fields show as changed."""
    client.force_login(writer)
    save_from_form(client, live, dek="Licences granted to three exporters.")
    save_from_form(client, live, highlights="Three exporters licensed")
    pending = ArticleRevision.objects.pending().get(article=live)
    client.force_login(f.user(group="Editors"))
    review = reverse("admin:articles_article_review", args=[live.pk, pending.number])
    changed = client.get(review).context["changed_rows"]
    assert [row.label for row in changed] == ["Standfirst", "Highlights"]


def test_editors_form_shows_the_published_text(client, live, writer):
    """An editor opening the article sees what readers see, with the writer's proposal waiting beside it."""
    client.force_login(writer)
    save_from_form(client, live, dek="Licences granted to three exporters.")
    client.force_login(f.user(group="Editors"))
    assert form_values(client.get(change_url(live)), "article_form")["dek"] == ["Licences granted."]
