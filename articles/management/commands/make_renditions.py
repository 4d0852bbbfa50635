"""Make the renditions of every hero and author photo that lacks them (photos uploaded before
renditions existed, or restored from a backup without them), and record each photo's size. Safe
to run again: it makes only what is missing."""

from django.core.management.base import BaseCommand

from articles.photos import PHOTO_FIELDS, photo_renditions
from core import page_cache


class Command(BaseCommand):
    help = "Make missing renditions of hero and author photos."

    def handle(self, *args, **options):
        made = missing = 0
        for model, (field_name, _, _) in PHOTO_FIELDS.items():
            for row in model.objects.exclude(**{field_name: ""}).iterator():
                photo = getattr(row, field_name)
                if not photo.storage.exists(photo.name):
                    self.stderr.write(
                        f"{model._meta.verbose_name} {row.pk}: {photo.name} is missing from storage"
                    )
                    missing += 1
                    continue
                made += photo_renditions(row)
        page_cache.invalidate(page_cache.CONTENT)  # pages now list the renditions
        self.stdout.write(f"Made {made} renditions." + (f" {missing} photos are missing." if missing else ""))
