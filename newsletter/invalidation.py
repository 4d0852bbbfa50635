"""Which newsletter changes drop cached archive pages (/newsletter/archive/...).

The archive shows sent daily updates with their articles. An update that finishes sending, goes
back to sending (deliveries requeued), or is edited or deleted by an editor drops every archive
page (tag `daily-updates`); article changes reach the archive through the page cache's CONTENT
tag, which every page depends on. Subscribers and deliveries show on no public page.
"""

from django.db.models.signals import post_delete, post_save

from core import page_cache
from newsletter.models import DailyUpdate, DailyUpdateArticle

ARCHIVE = "daily-updates"


def archive_changed(sender, raw=False, **kwargs):
    if not raw:
        page_cache.invalidate(ARCHIVE)


def connect():
    for model in (DailyUpdate, DailyUpdateArticle):
        post_save.connect(archive_changed, sender=model, dispatch_uid=f"page_cache_saved_{model._meta.label}")
        post_delete.connect(
            archive_changed, sender=model, dispatch_uid=f"page_cache_deleted_{model._meta.label}"
        )
