"""Which comment changes drop which cached article pages.

An article page shows its approved thread, and beside each regular commenter's name their record
across the site (approved comments, likes received). A comment that is posted live, approved,
removed, marked spam, edited or deleted therefore drops the page of its own article and the pages
of every article where the same commenter has approved comments (the tag of each article page's own
address, core.page_cache.address_tag, which a cache hit reads with the page in one round trip).
Likes are counted with an UPDATE and drop nothing: an article page with comments is kept no longer
than COMMENTS_LIKE_COUNT_LAG seconds, so a count may lag by that much (the liking reader sees the
new count at once from the like's own answer).

A bulk writer (the WordPress import) wraps its writes in `batched()`: each comment change then notes
the pages it drops, and they are dropped together when the block ends, each once, rather than a
regular commenter's every page again for every comment they wrote.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save

from articles.models import Article
from comments.models import Comment
from core import page_cache


def article_tag(article):
    """The tag of the article's page, which shows its discussion."""
    return page_cache.address_tag(article.get_absolute_url())


def pages_showing(comments):
    """Tags of the article pages that show any of `comments` (pairs of article id and author email),
    or their commenters' records."""
    comments = list(comments)
    article_ids = {article_id for article_id, _ in comments}
    emails = {email for _, email in comments if email}
    if emails:
        article_ids.update(
            Comment.objects.approved()
            .filter(author_email__in=emails)
            .values_list("article_id", flat=True)
            .distinct()
        )
    return [article_tag(article) for article in Article.objects.filter(pk__in=article_ids).only("slug")]


_batch = threading.local()


@contextmanager
def batched():
    """Within the block, comment changes on this thread drop their pages together at its end (on commit,
    as always), each page once. Nested blocks join the outermost."""
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    pending = _batch.pending = set()
    try:
        yield
    finally:
        _batch.pending = None
        if pending:
            page_cache.invalidate(*pages_showing(pending))


def comment_changed(sender, instance, raw=False, created=False, **kwargs):
    # A comment held for moderation when posted shows nowhere yet.
    if raw or (created and instance.status != Comment.Status.APPROVED):
        return
    changed = (instance.article_id, instance.author_email)
    if (pending := getattr(_batch, "pending", None)) is not None:
        pending.add(changed)
        return
    page_cache.invalidate(*pages_showing([changed]))


def connect():
    post_save.connect(comment_changed, sender=Comment, dispatch_uid="page_cache_comment_saved")
    post_delete.connect(comment_changed, sender=Comment, dispatch_uid="page_cache_comment_deleted")
