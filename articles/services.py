"""The one write path for articles, and the editorial rules it enforces.

Every write of an article goes through `article_save`: the admin form with its tags, authors,
citations and corrections, the admin's bulk actions, approving or restoring a revision, adding a
correction, management commands, demo seeding and imports. It decides publishing once (who may
publish, feature, and when "publish now" means now), keeps a revision of every change, sends a
change to a published article by someone who cannot publish to an editor as a proposal, moves the
"Updated" time only for changes readers can see, and keeps the disclaimer an article went out
with. A live article's former address is recorded by the model's save receivers
(articles.signals), so a rename keeps redirecting from any path, the shell included.

`user` is the person making the change; None means the system (a command, an import, the shell),
which may publish.
"""

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles.models import Article, ArticleRevision, Disclaimer, FormerSlug, SourceOwnership
from articles.revisions import snapshots

PUBLISH_PERMISSION = "articles.publish_article"


class Publishing(enum.StrEnum):
    """The publishing decisions a save can make; editing words in any status is none of them."""

    PUBLISH = "publish"
    SCHEDULE = "schedule"
    RESCHEDULE = "reschedule"
    UNPUBLISH = "unpublish"


def can_publish(user):
    """Editors (and the system) publish, feature, approve proposed changes and attach corrections."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def needs_review(*, user, previous):
    """True when `user`'s change to the article stored as `previous` must wait for an editor: the
    article is published (live or scheduled) and `user` cannot publish."""
    return previous is not None and previous.status == Article.Status.PUBLISHED and not can_publish(user)


def _same_moment(earlier, later):
    # The admin's time widget has no microseconds; a difference under a second is no decision.
    return abs((earlier - later).total_seconds()) < 1


def publishing_decision(*, article, previous):
    """The publishing decision saving `article` over `previous` (None for a new one) makes, or None."""
    was_published = previous is not None and previous.status == Article.Status.PUBLISHED
    is_published = article.status == Article.Status.PUBLISHED
    if is_published and not was_published:
        return Publishing.SCHEDULE if article.publish_at > timezone.now() else Publishing.PUBLISH
    if was_published and not is_published:
        return Publishing.UNPUBLISH
    if is_published and not _same_moment(previous.publish_at, article.publish_at):
        return Publishing.RESCHEDULE
    return None


def article_check_publishing(*, user, article, previous):
    """The decision saving `article` makes; PermissionDenied when `user` may not make it, or may not
    feature or stop featuring the article."""
    decision = publishing_decision(article=article, previous=previous)
    if decision and not can_publish(user):
        raise PermissionDenied(
            f"Only editors can {decision} articles. "
            "Set the status to 'In review' and an editor will take it from there."
        )
    was_featured = previous.is_featured if previous is not None else False
    if article.is_featured != was_featured and not can_publish(user):
        raise PermissionDenied("Only editors can feature an article on the front page or stop featuring it.")
    return decision


def article_save(*, article, user=None, save_related=None, reason="", refresh_disclaimer=False):
    """Write `article`, and its relations through `save_related()`, as one change. Returns the decision.

    Publishing an article whose publish time was left as it was (an old draft) stamps it with the
    moment it goes live; a time the caller moved is kept, so a new article or an import may be dated.
    A change keeps a revision, left on `article.saved_revision` (None when nothing changed). When
    `user` cannot publish and the article is published, the change is kept as a proposed revision
    instead and the article, its tags, citations and everything readers see stay as they were.
    `reason` is the revision's summary; `refresh_disclaimer` fills the published disclaimer in
    again from the current facts.
    """
    with transaction.atomic():
        previous = None
        if article.pk is not None:
            # Locked, so two saves of one article decide (and number their revisions) one after the other.
            previous = Article.objects.select_for_update().filter(pk=article.pk).first()
        decision = article_check_publishing(user=user, article=article, previous=previous)
        if previous is not None and _same_moment(previous.publish_at, article.publish_at):
            article.publish_at = previous.publish_at  # the form's lost microseconds are no change
        before = snapshots.take(previous.pk) if previous is not None else None
        if needs_review(user=user, previous=previous):
            article.saved_revision = _article_propose(
                article=article,
                user=user,
                save_related=save_related,
                previous=previous,
                before=before,
                reason=reason,
            )
            return decision
        if (
            decision == Publishing.PUBLISH
            and previous is not None
            and _same_moment(previous.publish_at, article.publish_at)
        ):
            article.publish_at = timezone.now()
        after = _article_write(
            article=article,
            save_related=save_related,
            previous=previous,
            before=before,
            decision=decision,
            refresh_disclaimer=refresh_disclaimer,
        )
        article.saved_revision = _revision_create(
            article=article, user=user, previous=previous, before=before, after=after, reason=reason
        )
    return decision


# Derived on every write, never from a form: see Article.modified_at and Article.disclaimer_text.
_DERIVED = ("content_updated_at", "published_disclaimer", "disclaimer_frozen_at", "updated_at")


def _article_write(*, article, save_related, previous, before, decision, refresh_disclaimer):
    """Save the row and its relations, then the fields derived from them. Returns the stored state."""
    now = timezone.now()
    if previous is None:
        # A new article is not "updated" by being written before it goes out.
        article.content_updated_at = min(now, article.publish_at)
    article.save()
    if save_related is not None:
        save_related()
    after = snapshots.take(article.pk)
    derived = {}
    if before is not None and any(before[name] != after[name] for name in snapshots.READER_VISIBLE):
        derived["content_updated_at"] = now
    if article.status == Article.Status.PUBLISHED and (
        refresh_disclaimer
        or article.disclaimer_frozen_at is None
        or decision in (Publishing.PUBLISH, Publishing.SCHEDULE)
        or _disclaimer_basis(before) != _disclaimer_basis(after)
    ):
        # Going out, or choosing another disclaimer or lead source: what applies now is what it carries.
        derived["published_disclaimer"] = _disclaimer_now(article.pk)
        derived["disclaimer_frozen_at"] = now
        after["disclaimer_text"] = derived["published_disclaimer"]
    if derived:
        Article.objects.filter(pk=article.pk).update(**derived)
        for name, value in derived.items():
            setattr(article, name, value)
    return after


def _disclaimer_basis(snapshot):
    if snapshot is None:
        return None
    chosen = snapshot["disclaimer"]
    return (chosen["id"] if chosen else None, snapshots.lead_source_id(snapshot))


def _disclaimer_now(article_id):
    article = Article.objects.select_related("disclaimer").with_citations().get(pk=article_id)
    return article.current_disclaimer_text()


def _article_propose(*, article, user, save_related, previous, before, reason):
    """Keep `user`'s change to a published article as a proposed revision, leaving the article as it is.

    The change is written exactly as a save would write it (row, tags, authors, citations), read
    back, and rolled back: the proposal holds what approving will apply, and readers never see it.
    A photo uploaded with the change stays in storage, since the proposal refers to it.
    """
    savepoint = transaction.savepoint()
    try:
        proposed = _article_write(
            article=article,
            save_related=save_related,
            previous=previous,
            before=before,
            decision=None,
            refresh_disclaimer=False,
        )
    finally:
        transaction.savepoint_rollback(savepoint)
    for name in _DERIVED:
        setattr(article, name, getattr(previous, name))
    revision = _revision_create(
        article=article,
        user=user,
        previous=previous,
        before=before,
        after=proposed,
        reason=reason or "Proposed a change to the published article",
        state=ArticleRevision.State.PROPOSED,
    )
    if revision is not None:
        # A writer's newer proposal for the same article replaces their older one.
        ArticleRevision.objects.pending().filter(article=article, created_by=user).exclude(
            pk=revision.pk
        ).update(
            state=ArticleRevision.State.WITHDRAWN,
            reviewed_at=timezone.now(),
            review_note=f"Replaced by revision {revision.number}.",
        )
    return revision


def _revision_create(*, article, user, previous, before, after, reason, state=ArticleRevision.State.SAVED):
    """Number and keep a revision of `after`, unless it equals `before`. An article saved before
    revisions were kept first gets one of how it stood (`before`), so the change can be compared."""
    changed = snapshots.changed_fields(before, after)
    if not changed:
        return None
    revisions = ArticleRevision.objects.filter(article_id=article.pk)
    number = (revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    if number == 1 and before is not None:
        ArticleRevision.objects.create(
            article_id=article.pk,
            number=1,
            snapshot=before,
            changed=snapshots.changed_fields(None, before),
            summary="As the article stood before revisions were kept",
            created_at=previous.updated_at,
        )
        number = 2
    base = None
    if state == ArticleRevision.State.PROPOSED:
        base = revisions.saved().order_by("-number").first()
    return ArticleRevision.objects.create(
        article_id=article.pk,
        number=number,
        state=state,
        snapshot=after,
        changed=changed,
        summary=reason or ("Created" if before is None else ""),
        created_by=user,
        base=base,
    )


@dataclass(frozen=True)
class BulkChange:
    """What a bulk action did: changes that went into articles, and changes proposed for review."""

    saved: int = 0
    proposed: int = 0


def _articles_set(*, user, articles, field, value, reason, also=None):
    """A bulk change from the admin list: one article_save per article that changes.

    Each article is read again under its row lock and only `field` (and `also`) is changed on it, so
    an edit saved since the list was loaded is kept, not overwritten with the list's copy.
    """
    saved = proposed = 0
    for pk in [article.pk for article in articles]:
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=pk).first()
            if article is None or getattr(article, field) == value:
                continue
            setattr(article, field, value)
            for name, extra in (also or {}).items():
                setattr(article, name, extra)
            article_save(article=article, user=user, reason=reason)
        revision = article.saved_revision
        if revision is not None and revision.is_pending:
            proposed += 1
        else:
            saved += 1
    return BulkChange(saved, proposed)


def articles_set_status(*, user, articles, status):
    """Bulk publish-now or unpublish."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can publish or unpublish articles.")
    publishing = status == Article.Status.PUBLISHED
    reason = "Published from the article list" if publishing else "Unpublished from the article list"
    # "Publish now" means now, even for a draft that carried a future time.
    also = {"publish_at": timezone.now()} if publishing else None
    return _articles_set(user=user, articles=articles, field="status", value=status, reason=reason, also=also)


def articles_set_featured(*, user, articles, featured):
    """Feature on the front page, or stop."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can feature an article on the front page or stop featuring it.")
    reason = "Featured on the front page" if featured else "Stopped featuring"
    return _articles_set(user=user, articles=articles, field="is_featured", value=featured, reason=reason)


def articles_set_comments(*, user, articles, allow):
    """Open or close comments. A writer's change to a published article waits for an editor."""
    reason = "Opened comments" if allow else "Closed comments"
    return _articles_set(user=user, articles=articles, field="allow_comments", value=allow, reason=reason)


def articles_refresh_disclaimer(*, user, articles):
    """Fill each published article's disclaimer in again from its sources' current facts (editors
    only). Returns how many changed."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can refresh the disclaimers of published articles.")
    changed = 0
    for article in articles:
        if article.status != Article.Status.PUBLISHED:
            continue
        article_save(
            article=article,
            user=user,
            refresh_disclaimer=True,
            reason="Refreshed the disclaimer from the sources' current facts",
        )
        changed += article.saved_revision is not None
    return changed


def correction_save(*, correction, user=None):
    """Attach a correction to a published article, or edit one, through the article's write path: it
    keeps a revision and moves the article's "Updated" time; a material one goes out in the next
    daily update. Editors only; ValidationError for an article that is not published."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can attach corrections to articles.")
    correction.full_clean()
    if correction.pk is None and user is not None:
        correction.created_by = user
    verb = "Added" if correction.pk is None else "Edited"
    article_save(
        article=Article.objects.get(pk=correction.article_id),
        user=user,
        save_related=correction.save,
        reason=f"{verb} a {correction.get_kind_display().lower()}",
    )
    return correction


def correction_delete(*, correction, user=None):
    if not can_publish(user):
        raise PermissionDenied("Only editors can remove corrections.")
    article_save(
        article=Article.objects.get(pk=correction.article_id),
        user=user,
        save_related=correction.delete,
        reason=f"Removed a {correction.get_kind_display().lower()}",
    )


def disclaimer_set_site_default(*, disclaimer):
    """Make `disclaimer` the site-wide default, or (None) have no default; the previous default stops being
    it."""
    with transaction.atomic():
        others = Disclaimer.objects.filter(is_site_default=True)
        if disclaimer is not None:
            others = others.exclude(pk=disclaimer.pk)
        others.update(is_site_default=False)
        if disclaimer is not None:
            Disclaimer.objects.filter(pk=disclaimer.pk).update(is_site_default=True)
            disclaimer.is_site_default = True


def source_record_ownership(*, source, previous):
    """Date a change of a source's owner or controller in its history. `previous` is (owner,
    controlled_by) before the save, None for a new source. Called for every save by articles.signals."""
    current = (source.owner, source.controlled_by)
    if previous == current or (previous is None and not any(current)):
        return None
    # A new source's owner held before it entered the register: undated unless the editor says when.
    since = source.ownership_since or (None if previous is None else timezone.localdate())
    record = SourceOwnership.objects.create(
        source=source,
        owner=source.owner,
        controlled_by=source.controlled_by,
        since=since,
        recorded_by=source.ownership_recorded_by,
    )
    source.ownership_since = source.ownership_recorded_by = None
    return record


def article_record_slug_change(*, article, previous):
    """Keep a live article's old address answering (with a redirect) after its slug changes.

    Every former slug points at the article itself, so a chain of renames never chains
    redirects. Taking a former slug back retires its record; a former slug reused by another
    article is answered by that article, since live slugs win. Called for every save by
    articles.signals; `previous` is the row as it was before the save.
    """
    if previous is None or previous.slug == article.slug:
        return None
    FormerSlug.objects.filter(slug=article.slug, article=article).delete()
    if not previous.is_live:
        return None
    former, _ = FormerSlug.objects.update_or_create(slug=previous.slug, defaults={"article": article})
    return former
