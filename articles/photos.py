"""Renditions of hero photos and author photos (core.images), made once when an article or author
is saved, from any path: the admin, article_save, seed_demo, an import or the shell.

They are made after the save commits: a rolled-back save leaves no files behind, and encoding does
not hold the article's row lock. Until they exist the photo's size is unrecorded and pages show
the original. `manage.py make_renditions` makes them for photos uploaded before renditions existed.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save

from articles.models import Article, Author
from core import page_cache
from core.images import make_renditions

logger = logging.getLogger(__name__)

# Hero photos fill the article column (at most 44rem, about 700 CSS pixels; twice that on dense
# screens) or a phone's width; author photos are drawn at 64 and 96 CSS pixels.
HERO_WIDTHS = (480, 800, 1200, 1600)
AUTHOR_WIDTHS = (64, 128, 192)

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


def photo_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(lambda: _make_after_commit(instance))


def connect():
    for model in PHOTO_FIELDS:
        post_save.connect(photo_saved, sender=model, dispatch_uid=f"photo_renditions_{model._meta.label}")
