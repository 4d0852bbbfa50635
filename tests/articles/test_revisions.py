"""Revisions: one per change, with every editorial field; comparing two side by side; restoring one."""

import pytest
from django.urls import reverse

from articles.models import Article, ArticleRevision, Citation, Country
from articles.revisions import snapshots
from articles.revisions.compare import html_to_text, text_diff, word_diff
from articles.revisions.review import revision_restore
from articles.services import article_save
from tests.support import factories as f
from tests.support.factories_discovery import png_upload
from tests.support.parsing import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    source = f.source(name="Lintas News Agency", kind="state_media")
    return f.article(
        title="Nickel smelters expand",
        dek="Output doubles.",
        body="<p>Sulawesi plants add lines.</p>",
        authors=[f.author(name="Budi Santoso")],
        minerals=[f.mineral(name="Nickel")],
        countries=[f.country(name="Indonesia")],
        sources=[source],
        disclaimer=f.disclaimer(title="State"),
        hero_image=png_upload(),
        hero_caption="A smelter",
        hero_credit="Photo: Desk",
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_creating_an_article_keeps_a_first_revision_with_every_field(story):
    """The first save keeps revision 1 holding the row, byline, tags, citations, hero and disclaimer."""
    (revision,) = story.revisions.all()
    data = revision.snapshot
    assert (
        revision.number == 1
        and revision.state == ArticleRevision.State.SAVED
        and revision.summary == "Created"
    )
    assert data["title"] == "Nickel smelters expand" and data["body"] == "<p>Sulawesi plants add lines.</p>"
    assert [a["name"] for a in data["authors"]] == ["Budi Santoso"]
    assert data["minerals"] == ["Nickel"] and data["countries"] == ["Indonesia"]
    assert [(c["source"], c["kind"], c["url"]) for c in data["citations"]] == [
        ("Lintas News Agency", "state_media", story.citations.get().url)
    ]
    assert data["hero_image"] == story.hero_image.name and data["hero_caption"] == "A smelter"
    assert data["disclaimer"] == {"id": story.disclaimer_id, "title": "State"}
    assert data["disclaimer_text"] == story.published_disclaimer != ""
    assert data["status"] == "published" and data["is_featured"] is False
    assert set(revision.changed) == {field.name for field in snapshots.FIELDS}


def test_each_change_keeps_a_revision_saying_who_and_what(story):
    """An editor's save keeps a numbered revision naming them and the fields that changed; no change keeps
    none."""
    editor = f.user(group="Editors")
    story.title = "Nickel smelters double output"
    article_save(article=story, user=editor, save_related=lambda: story.minerals.add("Cobalt"))
    latest = story.revisions.first()
    assert (latest.number, latest.created_by, latest.changed) == (2, editor, ["title", "minerals"])
    assert latest.snapshot["minerals"] == ["Cobalt", "Nickel"]
    article_save(article=story, user=editor)
    assert story.saved_revision is None and story.revisions.count() == 2


def test_admin_form_save_records_tags_citations_and_hero(client, story):
    """A save from the admin form keeps the tags, citations and photo it wrote, in one revision."""
    editor = f.user(group="Editors")
    client.force_login(editor)
    other = f.source(name="Meridian Wire")
    data = form_values(client.get(change_url(story)), "article_form")
    data.update(
        {
            "countries": [
                str(pk) for pk in Country.objects.filter(name="Indonesia").values_list("pk", flat=True)
            ]
            + [str(f.country(name="Philippines").pk)],
            "hero_image": [png_upload("new.png")],
            "citations-TOTAL_FORMS": ["2"],
            "citations-1-source": [str(other.pk)],
            "citations-1-position": ["1"],
            "citations-1-url": ["https://example.org/wire"],
            "citations-1-title": ["Wire report"],
        }
    )
    response = client.post(change_url(story), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = story.revisions.first()
    assert latest.created_by == editor
    assert set(latest.changed) == {"countries", "citations", "hero_image"}
    assert latest.snapshot["countries"] == ["Indonesia", "Philippines"]
    assert [c["source"] for c in latest.snapshot["citations"]] == ["Lintas News Agency", "Meridian Wire"]
    assert (
        latest.snapshot["hero_image"].endswith(".png")
        and latest.snapshot["hero_image"] != story.hero_image.name
    )


def test_an_article_written_before_revisions_gets_a_baseline_first(story):
    """Saving an article that has no revisions first keeps how it stood, so the change can be compared."""
    story.revisions.all().delete()
    story.dek = "Output triples."
    article_save(article=story)
    baseline, change = story.revisions.order_by("number")
    assert baseline.snapshot["dek"] == "Output doubles." and baseline.created_by is None
    assert change.number == 2 and change.changed == ["dek"]


def test_words_are_marked_where_they_changed():
    """Only the words that differ are wrapped, a run of them as one: struck left, inserted right, all
    escaped."""
    assert word_diff("owned by City Press Group now", "owned by Harbour Holdings now") == (
        "owned by <del>City Press Group</del> now",
        "owned by <ins>Harbour Holdings</ins> now",
    )
    old, new = word_diff("Output <b>doubles</b> in Sulawesi", "Output triples in Sulawesi")
    assert old == "Output <del>&lt;b&gt;doubles&lt;/b&gt;</del> in Sulawesi"
    assert new == "Output <ins>triples</ins> in Sulawesi"
    old, new = text_diff("first line\nsecond line", "first line\nsecond lane\nthird")
    assert old == "first line\nsecond <del>line</del>"
    assert new == "first line\nsecond <ins>lane</ins>\n<ins>third</ins>"


def test_body_is_compared_as_text_with_links_written_out():
    """A body's markup becomes lines of text with link targets and images, so a changed link shows."""
    html = (
        '<h2>Title</h2><p>See <a href="https://a.example/">the report</a>.</p>'
        '<ul><li>One</li></ul><img src="/x.png" alt="Plant">'
    )
    assert html_to_text(html) == "Title\nSee the report [https://a.example/].\n• One\n[image: Plant /x.png]"


def test_table_is_compared_a_row_per_line_with_its_cells_side_by_side():
    """A table reads as its caption, then one line per row with cells joined by " | " (the sanitiser's <p> in
    each cell starts no line), so one changed figure marks one word in one row."""
    html = (
        "<table><caption>Exports, tonnes</caption><thead><tr><th><p>Period</p></th><th><p>Tonnes</p></th>"
        "</tr></thead><tbody><tr><td><p>Last month</p></td><td><p>5,340</p></td></tr>"
        "<tr><td><p>This month</p></td><td><p>4,380</p></td></tr></tbody></table><p>After.</p>"
    )
    text = html_to_text(html)
    assert text == "Exports, tonnes\nPeriod | Tonnes\nLast month | 5,340\nThis month | 4,380\nAfter."
    old, new = text_diff(text, text.replace("4,380", "4,390"))
    assert new.splitlines()[3] == "This month | 4,<ins>390</ins>"
    assert old.splitlines()[3] == "This month | 4,<del>380</del>"


def test_compare_page_shows_two_revisions_side_by_side(client, story):
    """Editors pick two revisions from the history and see the changed words marked, unchanged fields
    folded."""
    story.body = "<p>Sulawesi plants add two lines.</p>"
    article_save(article=story)
    client.force_login(f.user(group="Editors"))
    history = client.get(reverse("admin:articles_article_history", args=[story.pk])).content.decode()
    assert 'name="from" value="1"' in history and 'name="to" value="2"' in history and "Body" in history
    page = client.get(reverse("admin:articles_article_compare", args=[story.pk]), {"from": 2, "to": 1})
    html = page.content.decode()
    assert "Revision 1 and revision 2" in html
    assert "add <ins>two </ins>lines" in html
    assert "Headline" in html.split("unchanged field")[1]  # folded away, not among the changes


def test_writers_can_read_the_history_but_not_of_nothing(client, story):
    """Writers see an article's revisions; an unknown revision or article is a 404, a missing choice a
    message."""
    client.force_login(f.user(group="Writers"))
    assert client.get(reverse("admin:articles_article_history", args=[story.pk])).status_code == 200
    compare = reverse("admin:articles_article_compare", args=[story.pk])
    assert client.get(compare, {"from": 1, "to": 9}).status_code == 404
    assert client.get(compare, {"from": "x"}).status_code == 302
    assert client.get(reverse("admin:articles_article_history", args=[999999])).status_code in (302, 404)


def test_restore_puts_back_fields_tags_and_citations_as_a_new_revision(story):
    """Restoring revision 1 brings back its words, tags and sources, keeps address and status, and is revision
    3."""
    editor = f.user(group="Editors")
    original_citation = story.citations.get()
    story.title, story.slug = "Rewritten", "rewritten"

    def rewrite_related():
        story.minerals.set(["Cobalt"])
        story.citations.all().delete()
        Citation.objects.create(article=story, source=f.source(), position=0)

    article_save(article=story, user=editor, save_related=rewrite_related)
    restored, notes = revision_restore(revision=story.revisions.get(number=1), user=editor)
    assert (restored.number, restored.origin.number, restored.created_by, notes) == (3, 1, editor, [])
    article = Article.objects.get(pk=story.pk)
    assert article.title == "Nickel smelters expand" and article.slug == "rewritten" and article.is_live
    assert list(article.minerals.names()) == ["Nickel"]
    (citation,) = article.citations.all()
    assert (citation.source_id, citation.url) == (original_citation.source_id, original_citation.url)
    assert restored.summary == "Restored revision 1"


def test_restore_from_the_admin_and_a_missing_section(client, story):
    """The compare page's restore button posts; what no longer exists is named rather than failing."""
    editor = f.user(group="Editors")
    client.force_login(editor)
    old_section = story.section
    story.section, story.dek = f.section(), "Changed."
    article_save(article=story, user=editor)
    Article.objects.filter(pk=story.pk).update(section=story.section)  # nothing refers to the old section now
    old_section.delete()
    url = reverse("admin:articles_article_restore", args=[story.pk, 1])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    text = response.content.decode()
    assert "Restored revision 1 as revision 3." in text and "no longer exists" in text
    assert Article.objects.get(pk=story.pk).dek == "Output doubles."


def test_a_proposal_cannot_be_restored(story):
    """Restoring is for saved revisions; a proposed change is approved instead."""
    from django.core.exceptions import ValidationError

    story.title = "Proposed"
    article_save(article=story, user=f.user(group="Writers"))
    with pytest.raises(ValidationError):
        revision_restore(revision=story.saved_revision, user=f.user(group="Editors"))
