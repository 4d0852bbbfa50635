"""Comments come in through the comments app's service with their threads, dates, states and likes;
pingbacks are counted and skipped; emails stay private."""

import pytest

from comments.models import Comment

from .conftest import run_import

pytestmark = pytest.mark.django_db


def by_name(name):
    return Comment.objects.get(author_name=name)


def test_states_map_from_wordpress(subjects):
    """1 → approved, 0 → awaiting moderation, spam → spam, trash → removed; the report counts each."""
    report = run_import()
    assert by_name("Marta Rojas").status == Comment.Status.APPROVED
    assert by_name("Lena").status == Comment.Status.PENDING
    assert by_name("Cheap pills").status == Comment.Status.SPAM
    assert by_name("Someone").status == Comment.Status.REMOVED
    assert "Comments: 2 approved, 1 pending, 1 spam, 1 removed" in report


def test_replies_keep_their_thread_and_dates(subjects):
    """A reply exported before its parent still answers it; dates are WordPress's own."""
    run_import()
    reply = by_name("Tom")
    assert reply.parent == by_name("Marta Rojas")
    assert reply.created_at.isoformat() == "2024-03-05T12:00:00+00:00"


def test_likes_come_from_wpdiscuz_votes(subjects):
    """wpDiscuz's separate like count is the comment's likes (not the net score)."""
    run_import()
    assert by_name("Marta Rojas").like_count == 4
    assert by_name("Tom").like_count == 0


def test_pingbacks_are_counted_and_skipped(subjects):
    """Pingbacks are not reader comments."""
    report = run_import()
    assert not Comment.objects.filter(author_name="Another blog").exists()
    assert "Skipped: pingbacks 1" in report


def test_comment_html_becomes_text_and_emails_stay_private(client, subjects):
    """A comment's link is kept as text the comments app links; the commenter's email is never shown."""
    run_import()
    marta = by_name("Marta Rojas")
    assert "the report (https://example.org/report)" in marta.body_text
    html = client.get("/news/lithium-prices-slide/").content.decode()
    assert "marta@example.net" not in html and "Marta Rojas" in html


def test_rerun_updates_a_comment_moderated_since(subjects, tmp_path):
    """A comment approved on WordPress after the first run is approved here by the second; none is doubled."""
    from .conftest import edited_copy

    run_import()
    edited = edited_copy(
        tmp_path,
        (
            "<wp:comment_content><![CDATA[Waiting for a moderator to see this.]]></wp:comment_content>\n"
            "\t\t\t<wp:comment_approved><![CDATA[0]]>",
            "<wp:comment_content><![CDATA[Waiting for a moderator to see this.]]></wp:comment_content>\n"
            "\t\t\t<wp:comment_approved><![CDATA[1]]>",
        ),
    )
    report = run_import(export=edited)
    assert by_name("Lena").status == Comment.Status.APPROVED
    assert Comment.objects.count() == 5
    assert "This run: 1 updated, 4 unchanged" in report


def test_cached_article_page_shows_a_comment_a_rerun_brings(client, subjects, tmp_path, settings):
    """With the page cache on, an article page stored before a re-run shows the comment the re-run adds
    (the post itself unchanged, so only the comment's own invalidation can drop the page)."""
    from .conftest import edited_copy

    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE = True
    run_import()
    assert client.get("/news/lithium-prices-slide/")["X-Page-Cache"] == "miss"
    assert client.get("/news/lithium-prices-slide/")["X-Page-Cache"] == "hit"
    new_comment = (
        "<wp:comment><wp:comment_id>1010</wp:comment_id><wp:comment_author>Nadia</wp:comment_author>"
        "<wp:comment_author_email>nadia@example.net</wp:comment_author_email>"
        "<wp:comment_date_gmt>2024-03-07 10:00:00</wp:comment_date_gmt>"
        "<wp:comment_content>A late word from Antofagasta.</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>"
    )
    edited = edited_copy(
        tmp_path,
        ("<wp:comment>\n\t\t\t<wp:comment_id>1001", new_comment + "<wp:comment>\n\t\t\t<wp:comment_id>1001"),
    )
    report = run_import(export=edited)
    assert "Posts: 7 found; 5 unchanged" in report
    response = client.get("/news/lithium-prices-slide/")
    assert response["X-Page-Cache"] == "miss"
    assert "A late word from Antofagasta." in response.content.decode()
