"""Clean photos stored before the site published them without metadata: each hero, author and site
photo that still carries EXIF, GPS, XMP, IPTC, comments or a colour profile, or whose name's extension
is not its format's own, is re-encoded as core.published_photos does for new uploads, stored under a
new name, and the old file and its renditions are deleted. Safe to run again: a clean photo is left
as it is, so a second run changes nothing."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from PIL import UnidentifiedImageError

from articles.photos import PHOTO_FIELDS, forget_photo, photo_renditions
from core import page_cache
from core.images import delete_photo
from core.models import CACHE_KEY, SiteSettings
from core.published_photos import carries_metadata, republish

SITE_PHOTOS = ("logo", "article_image")


class Command(BaseCommand):
    help = "Re-encode stored photos that still carry metadata, and delete the old files."

    def handle(self, *args, **options):
        self.cleaned = self.failed = 0
        for model, (field_name, _, (width_field, _)) in PHOTO_FIELDS.items():
            for row in model.objects.exclude(**{field_name: ""}).iterator():
                old = self.clean(row, field_name)
                if old:
                    forget_photo(model, old, getattr(row, width_field))
                    photo_renditions(row)
        for row in SiteSettings.objects.all():
            for field_name in SITE_PHOTOS:
                if getattr(row, field_name):
                    old = self.clean(row, field_name)
                    if old:
                        delete_photo(getattr(row, field_name).storage, old, ())
                        cache.delete(CACHE_KEY)
        page_cache.invalidate(page_cache.CONTENT)
        summary = f"Cleaned {self.cleaned} photos."
        if self.failed:
            raise CommandError(f"{summary} {self.failed} photos could not be read (listed above).")
        self.stdout.write(summary)

    def clean(self, row, field_name):
        """Store a clean copy of the row's photo and point the row at it; returns the old name, or None
        when the photo was clean already or could not be read."""
        photo = getattr(row, field_name)
        label = f"{row._meta.verbose_name} {row.pk}: {photo.name}"
        try:
            if not carries_metadata(photo):
                return None
            new = republish(photo)
        except FileNotFoundError:
            self.stderr.write(f"{label} is missing from storage")
        except (UnidentifiedImageError, OSError, ValueError, ValidationError) as error:
            self.stderr.write(f"{label} is not a readable photo ({error})")
        else:
            # An UPDATE: the file changes, not what editors wrote, so no revision is recorded.
            type(row).objects.filter(pk=row.pk).update(**{field_name: new})
            setattr(row, field_name, new)
            self.cleaned += 1
            return photo.name
        self.failed += 1
        return None
