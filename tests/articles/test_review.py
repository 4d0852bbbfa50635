"""Changes to published articles by writers wait for an editor, on every save path; editors approve or send
back."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRevision, Mineral
from articles.revisions.review import (
    revision_approve,
    revision_restore,
    revision_send_back,
    revision_withdraw,
)
from tests.support import factories as f
from tests.support.factories_discovery import png_upload
from tests.support.parsing import form_values

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def live():
    return f.article(
        title="Gallium exports resume",
        dek="Licences granted.",
        minerals=[f.mineral(name="Gallium")],
        sources=[f.source(name="Harbour News Agency")],
    )


@pytest.fixture
def writer():
    return f.user(group="Writers", first_name="Wen", last_name="Writer")


@pytest.fixture
def editor():
    return f.user(group="Editors")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(revision):
    return reverse("admin:articles_article_review", args=[revision.article_id, revision.number])


def public_page(client, article):
    client.logout()
    return client.get(article.get_absolute_url()).content.decode()


def chosen_minerals(*names):
    """The keys the article form's mineral autocomplete posts for `names`, made if the desk lacks them."""
    return [
        str(Mineral.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0].pk) for name in names
    ]


def propose_through_admin(client, writer, article, **changes):
    client.force_login(writer)
    data = form_values(client.get(change_url(article)), "article_form")
    data.update({name: [value] if isinstance(value, str) else value for name, value in changes.items()})
    return client.post(change_url(article), data, follow=True)


def test_writer_edit_in_the_admin_is_proposed_and_readers_keep_the_live_version(client, live, writer):
    """Headline, tags, a new citation and a photo from a writer wait as a proposal; page, tags and citations
    stay."""
    other = f.source(name="Meridian Wire")
    response = propose_through_admin(
        client,
        writer,
        live,
        title="Gallium exports resume at scale",
        minerals=chosen_minerals("Gallium", "Germanium"),
        hero_image=png_upload(),
        **{
            "citations-TOTAL_FORMS": "2",
            "citations-1-source": str(other.pk),
            "citations-1-position": "1",
            "citations-1-url": "https://example.org/w",
        },
    )
    assert "sent to an editor for review as revision 2" in response.content.decode()
    article = Article.objects.get(pk=live.pk)
    assert article.title == "Gallium exports resume" and not article.hero_image
    assert list(article.minerals.names()) == ["Gallium"] and article.citations.count() == 1
    assert "Gallium exports resume at scale" not in public_page(client, live)
    (proposal,) = live.revisions.pending()
    assert proposal.created_by == writer and proposal.snapshot["title"] == "Gallium exports resume at scale"
    assert proposal.snapshot["minerals"] == ["Gallium", "Germanium"]
    assert [c["source"] for c in proposal.snapshot["citations"]] == ["Harbour News Agency", "Meridian Wire"]
    assert proposal.snapshot["hero_image"]
    assert set(proposal.changed) == {"title", "minerals", "citations", "hero_image"}
    assert LogEntry.objects.get(object_id=str(live.pk)).change_message.startswith("Proposed a change")


def test_the_rule_holds_in_the_write_path_itself(live, writer):
    """A writer's save through article_save (a command, an import, the shell) is a proposal too."""
    live.dek = "Licences granted to three firms."
    assert services.article_save(article=live, user=writer) is None
    assert live.saved_revision.is_pending
    assert Article.objects.get(pk=live.pk).dek == "Licences granted."


def test_scheduled_articles_are_reviewed_too(writer):
    """An article an editor scheduled does not go out with a writer's unreviewed change."""
    scheduled = f.article(publish_at=timezone.now() + timedelta(days=1))
    scheduled.title = "Changed before it goes out"
    services.article_save(article=scheduled, user=writer)
    assert scheduled.saved_revision.is_pending
    assert Article.objects.get(pk=scheduled.pk).title != "Changed before it goes out"


def test_writer_bulk_action_on_live_articles_is_proposed_and_on_drafts_saved(client, live, writer):
    """Closing comments from the list: a draft changes at once, a live article waits for an editor."""
    draft = f.article(status=Article.Status.DRAFT)
    client.force_login(writer)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "close_comments", "_selected_action": [live.pk, draft.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert (
        "Closed comments on 1 article(s)." in text and "1 change(s) to published articles were sent" in text
    )
    assert (
        Article.objects.get(pk=live.pk).allow_comments and not Article.objects.get(pk=draft.pk).allow_comments
    )
    assert live.revisions.pending().get().snapshot["allow_comments"] is False
    result = services.articles_set_comments(
        user=writer, articles=[Article.objects.get(pk=live.pk)], allow=False
    )
    assert (result.saved, result.proposed) == (0, 1)


def test_writer_restoring_a_live_article_is_proposed(live, writer, editor):
    """Restoring an old revision is a save like any other: from a writer, on a live article, it waits."""
    live.title = "Edited by an editor"
    services.article_save(article=live, user=editor)
    proposal, _ = revision_restore(revision=live.revisions.get(number=1), user=writer)
    assert proposal.is_pending and proposal.snapshot["title"] == "Gallium exports resume"
    assert Article.objects.get(pk=live.pk).title == "Edited by an editor"


def test_editors_edits_go_live(client, live, editor):
    """An editor's save changes the live article at once and keeps a saved revision."""
    client.force_login(editor)
    data = form_values(client.get(change_url(live)), "article_form")
    data["title"] = ["Gallium exports resume in full"]
    assert client.post(change_url(live), data).status_code == 302
    assert "Gallium exports resume in full" in public_page(client, live)
    assert live.revisions.first().state == ArticleRevision.State.SAVED


def test_writers_cannot_feature_on_any_path(client, writer):
    """The form's featured box is disabled for writers, a forged post is ignored, and the service and bulk
    actions refuse."""
    live, draft = f.article(), f.article(status=Article.Status.DRAFT)
    client.force_login(writer)
    page = client.get(change_url(live))
    assert page.context["adminform"].form.fields["is_featured"].disabled
    propose_through_admin(client, writer, draft, is_featured="on")
    assert not Article.objects.get(pk=draft.pk).is_featured
    assert 'value="feature"' not in client.get(reverse(CHANGELIST)).content.decode()
    client.post(reverse(CHANGELIST), {"action": "feature", "_selected_action": [live.pk]})
    assert not Article.objects.get(pk=live.pk).is_featured
    with pytest.raises(PermissionDenied):
        services.articles_set_featured(user=writer, articles=[live], featured=True)
    for article in (live, draft):
        article.is_featured = True
        with pytest.raises(PermissionDenied):
            services.article_save(article=article, user=writer)
    assert not Article.objects.filter(is_featured=True).exists()
    assert not ArticleRevision.objects.filter(created_by=writer).exists()


def test_editor_reviews_with_the_diff_and_approves(client, live, writer, editor):
    """The review page shows the changed words; approving applies the proposal, tags included, as a new
    revision."""
    propose_through_admin(
        client,
        writer,
        live,
        title="Gallium exports resume at scale",
        minerals=chosen_minerals("Gallium", "Germanium"),
    )
    proposal = live.revisions.pending().get()
    client.force_login(editor)
    page = client.get(change_url(live)).content.decode()
    assert "Proposed changes waiting for an editor" in page and review_url(proposal) in page
    review = client.get(review_url(proposal)).content.decode()
    assert "resume<ins> at scale</ins>" in review and "<ins>Germanium</ins>" in review
    response = client.post(review_url(proposal), {"action": "approve"}, follow=True)
    assert "Approved: the change is live as revision 3." in response.content.decode()
    assert "Gallium exports resume at scale" in public_page(client, live)
    article = Article.objects.get(pk=live.pk)
    assert sorted(article.minerals.names()) == ["Gallium", "Germanium"]
    proposal.refresh_from_db()
    assert proposal.state == ArticleRevision.State.APPROVED and proposal.reviewed_by == editor
    saved = live.revisions.first()
    assert (saved.number, saved.origin, saved.created_by) == (3, proposal, editor)
    with pytest.raises(ValidationError):
        revision_approve(revision=proposal, user=editor)


def test_send_back_needs_a_note_which_the_writer_then_sees(client, live, writer, editor):
    """Sending back without a note is refused; with one, the writer sees it above their form."""
    propose_through_admin(client, writer, live, dek="A new standfirst.")
    proposal = live.revisions.pending().get()
    client.force_login(editor)
    response = client.post(review_url(proposal), {"action": "send_back", "note": "  "}, follow=True)
    assert "a note is needed" in response.content.decode()
    client.post(review_url(proposal), {"action": "send_back", "note": "Source the figure first."})
    proposal.refresh_from_db()
    assert (
        proposal.state == ArticleRevision.State.RETURNED
        and proposal.review_note == "Source the figure first."
    )
    assert Article.objects.get(pk=live.pk).dek == "Licences granted."
    client.force_login(writer)
    page = client.get(change_url(live)).content.decode()
    assert "Sent back to you" in page and "Source the figure first." in page


def test_writers_cannot_approve_or_send_back(client, live, writer):
    """A writer posting a decision gets an error and the proposal keeps waiting; the services refuse."""
    propose_through_admin(client, writer, live, title="Self-approved")
    proposal = live.revisions.pending().get()
    response = client.post(review_url(proposal), {"action": "approve"}, follow=True)
    assert "Only editors can approve" in response.content.decode()
    with pytest.raises(PermissionDenied):
        revision_send_back(revision=proposal, user=writer, note="no")
    assert live.revisions.pending().get() == proposal
    assert "Approve and publish" not in client.get(review_url(proposal)).content.decode()


def test_withdrawing_is_for_the_proposer_or_an_editor(live, writer):
    """Another writer cannot withdraw a colleague's change; its writer can."""
    live.title = "Mine"
    services.article_save(article=live, user=writer)
    with pytest.raises(PermissionDenied):
        revision_withdraw(revision=live.saved_revision, user=f.user(group="Writers"))
    revision_withdraw(revision=live.saved_revision, user=writer)
    assert live.revisions.get(pk=live.saved_revision.pk).state == ArticleRevision.State.WITHDRAWN


def test_a_newer_proposal_replaces_the_writers_older_one(live, writer):
    """A writer's second proposal withdraws their first; another writer's stays pending; no change proposes
    nothing."""
    colleague = f.user(group="Writers")
    live.title = "First try"
    services.article_save(article=live, user=writer)
    first = live.saved_revision
    live.dek = "Colleague's dek"
    live.title = "Gallium exports resume"
    services.article_save(article=live, user=colleague)
    live.title, live.dek = "Second try", "Licences granted."
    services.article_save(article=live, user=writer)
    first.refresh_from_db()
    assert first.state == ArticleRevision.State.WITHDRAWN and "Replaced by revision 4" in first.review_note
    assert [r.created_by for r in live.revisions.pending().order_by("number")] == [colleague, writer]
    services.article_save(article=Article.objects.get(pk=live.pk), user=writer)
    assert live.revisions.count() == 4


def test_review_warns_when_the_article_changed_since(client, live, writer, editor):
    """When an editor changed the article after the proposal, the review says so before approving."""
    live.title = "Proposed headline"
    services.article_save(article=live, user=writer)
    proposal = live.saved_revision
    current = Article.objects.get(pk=live.pk)
    current.dek = "An editor's standfirst."
    services.article_save(article=current, user=editor)
    client.force_login(editor)
    assert (
        "The article has changed since this was proposed" in client.get(review_url(proposal)).content.decode()
    )


def test_approving_a_taken_address_is_refused_with_a_message(live, writer, editor):
    """If another article took the proposed address meanwhile, approval stops and names it."""
    live.slug = "gallium-at-scale"
    services.article_save(article=live, user=writer)
    f.article(slug="gallium-at-scale")
    with pytest.raises(ValidationError) as caught:
        revision_approve(revision=live.saved_revision, user=editor)
    assert caught.value.code == "slug_taken"
    assert live.revisions.get(pk=live.saved_revision.pk).is_pending


def test_queue_and_list_show_state_at_a_glance(client, live, writer, editor):
    """Editors see pending changes in the queue and a pill on the list; writers see only their own
    proposals."""
    scheduled = f.article(title="Due tomorrow", publish_at=timezone.now() + timedelta(days=1))
    in_review = f.article(title="Waiting desk", status=Article.Status.IN_REVIEW)
    live.title = "Proposed by the writer"
    services.article_save(article=live, user=writer)
    other = f.article(title="Colleague's story")
    other.title = "Proposed by a colleague"
    services.article_save(article=other, user=f.user(group="Writers"))
    client.force_login(editor)
    listing = client.get(reverse(CHANGELIST)).content.decode()
    assert listing.count('status-pending">changes pending') == 2
    assert 'status-scheduled">Scheduled' in listing and 'status-in_review">In review' in listing
    assert 'status-published">Live</span> <span class="status-pill status-pending">' in listing
    pending_only = client.get(reverse(CHANGELIST), {"review": "pending"}).context["cl"].result_list
    assert {a.pk for a in pending_only} == {live.pk, other.pk}
    assert scheduled not in pending_only and in_review not in pending_only
    queue = client.get(reverse("admin:articles_proposedchange_changelist")).content.decode()
    assert review_url(live.saved_revision) in queue and review_url(other.saved_revision) in queue
    client.force_login(writer)
    queue = client.get(reverse("admin:articles_proposedchange_changelist")).content.decode()
    assert review_url(live.saved_revision) in queue and review_url(other.saved_revision) not in queue
