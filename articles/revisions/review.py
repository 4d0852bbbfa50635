"""Reviewing and undoing changes: approving or sending back a proposed change, withdrawing one,
and restoring an earlier revision. Each change to an article goes through article_save, so it is
itself a new revision and obeys the same rules (a writer's restore of a live article is a proposal).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.revisions import snapshots
from articles.services import article_save, can_publish


def _who(user):
    return (user.get_full_name() or user.get_username()) if user else "the system"


def _locked_pending(revision):
    revision = ArticleRevision.objects.select_for_update().get(pk=revision.pk)
    if not revision.is_pending:
        raise ValidationError(
            "This change is no longer waiting for review: it was %(state)s.",
            code="not_pending",
            params={"state": revision.get_state_display().lower()},
        )
    return revision


def _close(revision, *, user, state, note=""):
    revision.state, revision.reviewed_by, revision.reviewed_at, revision.review_note = (
        state,
        user,
        timezone.now(),
        note,
    )
    revision.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])


def revision_approve(*, revision, user, note=""):
    """Apply a proposed change to its article (editors only): the proposal's fields replace the
    article's, as a new saved revision. Returns (saved revision or None, notes on what could not
    be applied)."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can approve proposed changes.")
    with transaction.atomic():
        revision = _locked_pending(revision)
        article = Article.objects.get(pk=revision.article_id)
        save_related, notes = snapshots.apply(article, revision.snapshot, snapshots.PROPOSED)
        try:
            with transaction.atomic():
                article_save(
                    article=article,
                    user=user,
                    save_related=save_related,
                    reason=(
                        f"Approved the change {_who(revision.created_by)} proposed "
                        f"(revision {revision.number})"
                    ),
                )
        except IntegrityError as error:
            raise ValidationError(
                "Another article has taken the address %(slug)s since this change was proposed; send it back "
                "with a note, or change the address yourself.",
                code="slug_taken",
                params={"slug": article.slug},
            ) from error
        saved = article.saved_revision
        if saved is not None:
            saved.origin = revision
            saved.save(update_fields=["origin"])
        _close(revision, user=user, state=ArticleRevision.State.APPROVED, note=note)
    return saved, notes


def revision_send_back(*, revision, user, note):
    """Decline a proposed change with a note to its writer (editors only); the article is unchanged."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can send proposed changes back.")
    if not note.strip():
        raise ValidationError(
            "Tell the writer why: a note is needed to send a change back.", code="note_required"
        )
    with transaction.atomic():
        _close(_locked_pending(revision), user=user, state=ArticleRevision.State.RETURNED, note=note.strip())


def revision_withdraw(*, revision, user):
    """Take back a proposed change: its writer, or an editor."""
    if not (can_publish(user) or (user is not None and revision.created_by_id == user.pk)):
        raise PermissionDenied("Only the writer who proposed a change, or an editor, can withdraw it.")
    with transaction.atomic():
        _close(_locked_pending(revision), user=user, state=ArticleRevision.State.WITHDRAWN, note="Withdrawn.")


def revision_restore(*, revision, user):
    """Put an earlier saved revision's words, byline, tags, sources, photo and disclaimer back, as a
    new revision (the address, status, schedule and toggles stay as they are now). Returns (the new
    revision: saved, proposed for review, or None when nothing differs; notes on what could not
    come back)."""
    if user is not None and not user.has_perm("articles.change_article"):
        raise PermissionDenied("You cannot change articles.")
    if revision.state != ArticleRevision.State.SAVED:
        raise ValidationError(
            "Only saved revisions can be restored; approve a proposed change instead.", code="not_saved"
        )
    with transaction.atomic():
        article = Article.objects.get(pk=revision.article_id)
        save_related, notes = snapshots.apply(article, revision.snapshot, snapshots.RESTORED)
        article_save(
            article=article,
            user=user,
            save_related=save_related,
            reason=f"Restored revision {revision.number}",
        )
        if article.saved_revision is not None:
            article.saved_revision.origin = revision
            article.saved_revision.save(update_fields=["origin"])
    return article.saved_revision, notes
