"""The one write path for articles, and the editorial rules it enforces.

Every write of an article goes through `article_save`: the admin form with its tags, authors and
citations, the admin's bulk actions, management commands, demo seeding and imports. It decides
publishing once (who may publish, and when "publish now" means now) and is the single place where
revisions, review and cache invalidation hook in. A live article's former address is recorded by
the model's save receivers (articles.signals), so a rename keeps redirecting from any path,
the shell included.

`user` is the person making the change; None means the system (a command, an import, the shell),
which may publish.
"""

import enum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.models import Article, FormerSlug

PUBLISH_PERMISSION = "articles.publish_article"


class Publishing(enum.StrEnum):
    """The publishing decisions a save can make; editing words in any status is none of them."""

    PUBLISH = "publish"
    SCHEDULE = "schedule"
    RESCHEDULE = "reschedule"
    UNPUBLISH = "unpublish"


def can_publish(user):
    return user is None or user.has_perm(PUBLISH_PERMISSION)


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
    """The decision saving `article` makes; PermissionDenied when `user` may not make it."""
    decision = publishing_decision(article=article, previous=previous)
    if decision and not can_publish(user):
        raise PermissionDenied(
            f"Only editors can {decision} articles. Set the status to 'In review' and an editor will take it from there."
        )
    return decision


def article_save(*, article, user=None, save_related=None):
    """Write `article`, and its relations through `save_related()`, as one change. Returns the decision.

    Publishing an article whose publish time was left as it was (an old draft) stamps it with the
    moment it goes live; a time the caller moved is kept, so a new article or an import may be dated.
    """
    with transaction.atomic():
        previous = None
        if article.pk is not None:
            # Locked, so two saves of one article decide one after the other.
            previous = Article.objects.select_for_update().filter(pk=article.pk).first()
        decision = article_check_publishing(user=user, article=article, previous=previous)
        if decision == Publishing.PUBLISH and previous is not None and _same_moment(previous.publish_at, article.publish_at):
            article.publish_at = timezone.now()
        article._previous_row = previous  # spares the save receivers reading it again
        article.save()
        if save_related is not None:
            save_related()
    return decision


def _articles_set(*, user, articles, field, value):
    """A bulk change from the admin list: one article_save per article that changes."""
    changed = 0
    for article in articles:
        if getattr(article, field) == value:
            continue
        setattr(article, field, value)
        article_save(article=article, user=user)
        changed += 1
    return changed


def articles_set_status(*, user, articles, status):
    """Bulk publish-now or unpublish; returns how many articles changed."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can publish or unpublish articles.")
    return _articles_set(user=user, articles=articles, field="status", value=status)


def articles_set_featured(*, user, articles, featured):
    """Feature on the front page, or stop; returns how many articles changed."""
    return _articles_set(user=user, articles=articles, field="is_featured", value=featured)


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
