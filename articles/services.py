"""Editorial workflows that more than one entry point (admin form, admin action, save) must obey."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article, FormerSlug

PUBLISH_PERMISSION = "articles.publish_article"


def can_publish(user):
    return user.has_perm(PUBLISH_PERMISSION)


def publishing_change(*, article, previous):
    """Describe the publishing decision a save would make, or return None when it makes none.

    Publishing, scheduling, re-scheduling and unpublishing are publishing decisions;
    editing the words of an article in any status is not.
    """
    was_published = previous is not None and previous.status == Article.Status.PUBLISHED
    is_published = article.status == Article.Status.PUBLISHED
    if is_published and not was_published:
        return "schedule" if article.publish_at > timezone.now() else "publish"
    if was_published and not is_published:
        return "unpublish"
    if is_published and abs((previous.publish_at - article.publish_at).total_seconds()) >= 1:
        # The admin's time widget has no microseconds; a difference under a second is no decision.
        return "reschedule"
    return None


def article_check_publishing(*, user, article, previous):
    """Raise PermissionDenied when `user` may not make the publishing decision this save makes."""
    change = publishing_change(article=article, previous=previous)
    if change and not can_publish(user):
        raise PermissionDenied(
            f"Only editors can {change} articles. Set the status to 'In review' and an editor will take it from there."
        )
    return change


def articles_set_status(*, user, articles, status):
    """Bulk publish-now or unpublish from the admin list; returns how many articles changed."""
    if not can_publish(user):
        raise PermissionDenied("Only editors can publish or unpublish articles.")
    changed = 0
    for article in articles:
        if article.status == status:
            continue
        article.status = status
        if status == Article.Status.PUBLISHED:
            article.publish_at = timezone.now()
        article.save(update_fields=["status", "publish_at", "updated_at"])
        changed += 1
    return changed


def article_record_slug_change(*, article, previous):
    """Keep a live article's old address answering (with a redirect) after its slug changes.

    Every former slug points at the article itself, so a chain of renames never
    chains redirects. Taking a former slug back retires its record; a former slug
    reused by another article is answered by that article, since live slugs win.
    """
    FormerSlug.objects.filter(slug=article.slug, article=article).delete()
    if previous is None or previous.slug == article.slug or not previous.is_live:
        return None
    former, _ = FormerSlug.objects.update_or_create(slug=previous.slug, defaults={"article": article})
    return former
