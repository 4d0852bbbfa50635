"""Renditions of hero photos and author photos (core.images), made once when an article or author
is saved, from any path: the admin, article_save, seed_demo, an import or the shell.

They are made after the save commits: a rolled-back save leaves no files behind, and encoding does
not hold the article's row lock. Until they exist the photo's size is unrecorded and pages show
the original. `manage.py make_renditions` makes them for photos uploaded before renditions existed.

A photo that is replaced or removed, or whose row is deleted, is deleted from storage with its
renditions once the change commits, unless another row still shows it: nothing of it stays public.
"""

import logging
import weakref

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from articles.models import Article, Author
from core import page_cache
from core.images import delete_photo, make_renditions

logger = logging.getLogger(__name__)

# Hero photos fill the article column (at most 44rem, about 700 CSS pixels; twice that on dense
# screens) or a phone's width; author photos are drawn at 64 and 96 CSS pixels.
HERO_WIDTHS = (480, 800, 1200, 1600)
AUTHOR_WIDTHS = (64, 128, 192)

# What each save in progress replaces (name and recorded width), from pre_save (the row as stored) to
# post_save, which deletes it once the save commits.
_replaced = weakref.WeakKeyDictionary()

# Per model: the photo field, its widths, and the fields recording the photo's size.
PHOTO_FIELDS = {
    Article: ("hero_image", HERO_WIDTHS, ("hero_width", "hero_height")),
    Author: ("photo", AUTHOR_WIDTHS, ("photo_width", "photo_height")),
}


def photo_renditions(instance):
    """Make the missing renditions of the row's photo and record its size; returns how many were made."""
    field_name, widths, size_fields = PHOTO_FIELDS[type(instance)]
    photo = getattr(instance, field_name)
    size, made = make_renditions(photo, widths) if photo else ((None, None), 0)
    if size != tuple(getattr(instance, name) for name in size_fields):
        # An UPDATE, not a save: the write that brought the photo has been made already.
        type(instance).objects.filter(pk=instance.pk).update(**dict(zip(size_fields, size, strict=True)))
        for name, value in zip(size_fields, size, strict=True):
            setattr(instance, name, value)
        page_cache.invalidate(page_cache.CONTENT)  # pages now show the renditions
    return made


def _make_after_commit(instance):
    try:
        photo_renditions(instance)
    except OSError:  # unreadable or vanished: validated uploads never are; the page shows the original
        logger.exception("Could not make renditions for %s %s", instance._meta.verbose_name, instance.pk)


def photo_saved(sender, instance, raw=False, using="default", **kwargs):
    replaced = _replaced.pop(instance, None)
    if replaced:
        # Checked again after the commit: the old photo goes only if no row shows it then.
        transaction.on_commit(lambda: forget_photo(sender, *replaced), using=using)
    if not raw:
        transaction.on_commit(lambda: _make_after_commit(instance))


def photo_shown_anywhere(model, name):
    """True while a row of any photo model still shows the photo stored as `name`."""
    return any(
        other.objects.filter(**{field_name: name}).exists()
        for other, (field_name, _, _) in PHOTO_FIELDS.items()
    )


def forget_photo(model, name, recorded_width):
    """Delete a photo no row shows any more, with its renditions; returns how many files went."""
    if not name or photo_shown_anywhere(model, name):
        return 0
    field_name, widths, _ = PHOTO_FIELDS[model]
    storage = model._meta.get_field(field_name).storage
    deleted = delete_photo(storage, name, widths, recorded_width)
    page_cache.invalidate(page_cache.CONTENT)
    return deleted


def photo_replacing(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    field_name, _, (width_field, _) = PHOTO_FIELDS[sender]
    if raw or instance.pk is None or (update_fields is not None and field_name not in update_fields):
        return
    stored = sender.objects.using(using).filter(pk=instance.pk).values_list(field_name, width_field).first()
    if stored and stored[0] and stored[0] != getattr(instance, field_name).name:
        _replaced[instance] = stored


def photo_row_deleted(sender, instance, using="default", **kwargs):
    field_name, _, (width_field, _) = PHOTO_FIELDS[sender]
    name, width = getattr(instance, field_name).name, getattr(instance, width_field)
    if name:
        transaction.on_commit(lambda: forget_photo(sender, name, width), using=using)


def connect():
    for model in PHOTO_FIELDS:
        label = model._meta.label
        post_save.connect(photo_saved, sender=model, dispatch_uid=f"photo_renditions_{label}")
        pre_save.connect(photo_replacing, sender=model, dispatch_uid=f"photo_replaced_{label}")
        post_delete.connect(photo_row_deleted, sender=model, dispatch_uid=f"photo_deleted_{label}")
