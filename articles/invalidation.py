"""Which editorial changes drop cached pages, and when pages change with no edit at all.

Every row of this app is something readers see somewhere: an article on its page, in lists,
feeds and the sidebar of every other article; a section in the navigation of every page; a
source, author, tag or disclaimer on the pages of every article that names it. Any saved or
deleted row, from the admin, a bulk action, article_save, a command or the shell, therefore
drops every cached page (core.page_cache.CONTENT) once it commits. Editorial changes are rare
next to reads; the pages refill on their next request.

A scheduled article goes live with no event to hook, so no page is kept past the next
scheduled publication (registered with the page cache in ArticlesConfig.ready()).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.models import Article
from core import page_cache


def content_changed(sender, raw=False, **kwargs):
    if not raw:  # loading fixtures is no change readers have seen
        page_cache.invalidate(page_cache.CONTENT)


def authors_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        page_cache.invalidate(page_cache.CONTENT)


def next_scheduled_publication():
    """When the next scheduled article goes live, or None."""
    return Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()


def connect():
    for model in apps.get_app_config("articles").get_models():
        post_save.connect(content_changed, sender=model, dispatch_uid=f"page_cache_saved_{model._meta.label}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"page_cache_deleted_{model._meta.label}"
        )
    m2m_changed.connect(
        authors_changed, sender=Article.authors.through, dispatch_uid="page_cache_article_authors"
    )
    page_cache.register_expiry(next_scheduled_publication)
