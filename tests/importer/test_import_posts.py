"""Posts become articles through the one write path: statuses, dates, fields, what is skipped and
counted, dry runs that write nothing, and second runs that update what changed and duplicate nothing."""

import pytest
from django.core.management import CommandError
from django.utils import timezone

from articles.models import Article, ArticleRevision, SearchEntry
from comments.models import Comment
from importer.models import ImportedPost, ImportRun

from .conftest import edited_copy, run_import

pytestmark = pytest.mark.django_db


def article(slug):
    return Article.objects.get(slug=slug)


def test_statuses_map_to_published_scheduled_draft_and_in_review(subjects):
    """publish → live with its date, future → scheduled, draft → draft, pending → in review."""
    run_import()
    live = article("lithium-prices-slide")
    assert live.is_live and live.publish_at.isoformat() == "2024-03-05T09:30:00+00:00"
    assert article("cobalt-quota-decision-due").is_scheduled
    assert article("half-written-nickel-piece").status == Article.Status.DRAFT
    assert article("graphite-anode-plant-opens").status == Article.Status.IN_REVIEW
    assert Article.objects.count() == 5


def test_private_trash_revisions_menus_and_pages_are_skipped_and_counted(subjects):
    """Nothing private or trashed is imported; each skip and every page is in the report."""
    report = run_import()
    assert not Article.objects.filter(title__in=["Board minutes", "Old draft", "About us"]).exists()
    assert "Posts: 7 found; 5 imported" in report
    assert "Skipped: nav menu items 1, private 1, revisions 1, trash 1" in report
    assert (
        "Pages: 1 counted, not imported" in report
        and "About us (https://minerals.example.com/about/)" in report
    )
    assert "Attachments used by nothing: 1" in report


def test_fields_title_excerpt_body_authors_section_and_flags(subjects):
    """Title (entities decoded), excerpt as the standfirst, body, author's display name, the first category
    as the section, sticky as featured, closed comments as closed."""
    run_import()
    live = article("lithium-prices-slide")
    assert live.title == "Lithium prices slide as Chile’s output climbs"
    assert live.dek == "A third week of falling spot prices."
    assert live.body.startswith("<p>Spot prices for lithium carbonate")
    assert [author.name for author in live.authors.all()] == ["Jane Doe"]
    assert live.section.name == "Prices"
    permitted = article("how-a-mine-is-permitted")
    assert permitted.is_featured and not permitted.allow_comments
    # A login with no display name of its own is credited under the person's name.
    assert [author.name for author in permitted.authors.all()] == ["Ravi Kumar"]


def test_imported_articles_are_searchable_and_keep_a_revision(subjects):
    """The write path indexed the live articles and kept a revision saying where each came from."""
    run_import()
    live = article("lithium-prices-slide")
    assert SearchEntry.objects.filter(article=live).exists()
    assert not SearchEntry.objects.filter(article=article("half-written-nickel-piece")).exists()
    revision = ArticleRevision.objects.get(article=live)
    assert revision.summary == "Imported from WordPress post 101"


def test_imported_article_reads_like_native_content(client, subjects):
    """The imported article's page answers with its body, byline and approved comments."""
    run_import()
    html = client.get("/news/lithium-prices-slide/").content.decode()
    assert "What producers say" in html and "Jane Doe" in html
    assert "The Salar de Atacama numbers are out." in html
    assert "Waiting for a moderator" not in html and "Buy now" not in html


def test_dry_run_writes_nothing_and_reports_everything(subjects, uploads):
    """--dry-run prints the same counts and leaves no row and no file behind."""
    report = run_import("--dry-run", "--uploads", str(uploads))
    assert report.startswith("DRY RUN")
    assert "5 imported" in report and "2 approved" in report
    assert Article.objects.count() == 0 and Comment.objects.count() == 0
    assert ImportedPost.objects.count() == 0 and ImportRun.objects.count() == 0


def test_second_run_changes_nothing(subjects):
    """The same file again: every post unchanged, no new row, no new revision."""
    run_import()
    revisions = ArticleRevision.objects.count()
    report = run_import()
    assert "Posts: 7 found; 5 unchanged" in report
    assert Article.objects.count() == 5 and Comment.objects.count() == 5
    assert ArticleRevision.objects.count() == revisions
    assert ImportRun.objects.count() == 2


def test_rerun_with_one_post_edited_updates_that_post_only(subjects, tmp_path):
    """A later export with one post edited updates that article (a new revision), and nothing else."""
    run_import()
    before = article("lithium-prices-slide").pk
    edited = edited_copy(
        tmp_path,
        ("Producers in the Atacama <strong>expect</strong> a rebound.", "Producers now expect no rebound."),
    )
    report = run_import(export=edited)
    assert "Posts: 7 found; 1 updated, 4 unchanged" in report
    live = Article.objects.get(pk=before)
    assert "Producers now expect no rebound." in live.body
    assert ArticleRevision.objects.filter(article=live).count() == 2
    assert Article.objects.count() == 5 and Comment.objects.count() == 5


def test_slug_taken_by_a_native_article_gets_the_post_id(subjects):
    """An imported post never takes over the address of an article the desk already has."""
    from articles.models import Section

    section = Section.objects.create(name="News", slug="news")
    native = Article.objects.create(
        title="Ours",
        slug="lithium-prices-slide",
        section=section,
        status="published",
        publish_at=timezone.now(),
    )
    run_import()
    assert Article.objects.get(pk=native.pk).title == "Ours"
    assert Article.objects.filter(slug="lithium-prices-slide-101").exists()


def test_malformed_export_is_one_line_and_writes_nothing(subjects, tmp_path):
    """A file cut short stops the command with one readable line before anything is written."""
    path = tmp_path / "cut.xml"
    text = (tmp_path.parent / "x").as_posix() and edited_copy(tmp_path).read_text()
    path.write_text(text[: text.index("<wp:post_id>106</wp:post_id>")])
    with pytest.raises(CommandError) as raised:
        run_import(export=path)
    assert "not well-formed XML" in str(raised.value) and "Nothing was imported" in str(raised.value)
    assert Article.objects.count() == 0 and ImportRun.objects.count() == 0


def test_a_published_post_that_fails_makes_the_command_fail(subjects, tmp_path, monkeypatch):
    """When a published post cannot be imported, the report names it and the command exits non-zero."""
    from importer import wordpress

    real = wordpress.article_save

    def refuse_one(*, article, **kwargs):
        if article.title.startswith("How a mine"):
            raise ValueError("the database refused it")
        return real(article=article, **kwargs)

    monkeypatch.setattr(wordpress, "article_save", refuse_one)
    with pytest.raises(CommandError, match="1 published post"):
        run_import()
    run = ImportRun.objects.get()
    assert not run.complete
    assert "post 102 “How a mine is permitted”: the database refused it" in run.report
    assert Article.objects.count() == 4


def test_run_is_kept_with_its_report(subjects):
    """Each run is kept with the report as printed and its figures."""
    printed = run_import()
    run = ImportRun.objects.get()
    assert run.complete and run.site == "https://minerals.example.com"
    assert run.report.strip() == printed.strip()
    assert run.figures["posts"] == {"imported": 5}


def test_imported_archive_is_found_by_search(client, subjects):
    """The search page finds an imported article by a word of its body and by its mineral's alias."""
    run_import()
    for query in ("Atacama", "white gold"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "Lithium prices slide" in html, query
        assert "Half-written nickel piece" not in html


@pytest.mark.parametrize(
    "args, message",
    [
        (("--uploads", "/nonexistent/uploads"), "is not a folder"),
        (("--map", "/nonexistent/map.csv"), "cannot be read"),
    ],
)
def test_bad_arguments_are_one_readable_line(subjects, args, message):
    """A folder or map file that is not there stops the command before anything is written."""
    with pytest.raises(CommandError, match=message):
        run_import(*args)
    assert Article.objects.count() == 0


def test_missing_export_is_one_readable_line(subjects, tmp_path):
    """An export file that is not there is named in one line."""
    with pytest.raises(CommandError, match="cannot be read"):
        run_import(export=tmp_path / "missing.xml")


def test_classic_post_gets_paragraphs_figure_and_link(subjects):
    """A classic post's bare lines become paragraphs and line breaks, its [caption] a figure with its
    caption, its [embed] a link; [gallery] stays as text and is listed."""
    report = run_import()
    body = Article.objects.get(slug="how-a-mine-is-permitted").body
    assert body.startswith("<p>Permits take years.<br>")
    assert "<figcaption>The pit at dawn.</figcaption></figure>" in body
    assert '<a href="https://video.example.org/watch?v=abc&amp;t=5"' in body
    assert "<pre>line one\n\nline two</pre>" in body
    assert "[gallery] in 1 post" in report
