"""Which tracker changes drop cached pages, and when tracker pages change with no edit at all.

Measures show on the tracker's pages and feeds, on the pages of the articles that report them and
on mineral and country pages, so any saved or deleted tracker row drops every cached page
(core.page_cache.CONTENT) once it commits, as an editorial change does.

A status changes at the midnight an event or a scheduled end takes effect, with no edit to
announce it: no page is kept past the next such midnight (registered with the page cache).
Countdown pages ("3 days left") are not kept past today's midnight either; the views say so.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from core import page_cache
from tracker import dates


def content_changed(sender, raw=False, **kwargs):
    if not raw:
        page_cache.invalidate(page_cache.CONTENT)


def relations_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        page_cache.invalidate(page_cache.CONTENT)


def next_status_change():
    """The midnight at which the next published measure's status changes by itself, or None."""
    from tracker.models import MeasurePeriod, PublicationStatus

    start = (
        MeasurePeriod.objects.filter(measure__status=PublicationStatus.PUBLISHED, start__gt=dates.today())
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    return dates.midnight(start) if start is not None else None


def connect():
    for model in apps.get_app_config("tracker").get_models():
        post_save.connect(content_changed, sender=model, dispatch_uid=f"page_cache_saved_{model._meta.label}")
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"page_cache_deleted_{model._meta.label}"
        )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                relations_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"page_cache_{model._meta.label}_{field.name}",
            )
    page_cache.register_expiry(next_status_change)
