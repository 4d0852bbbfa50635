"""What a stored photo keeps: its pixels, turned the way it is shown, and nothing else.

Every photo field of the site is a PhotoField. Whatever path stores a photo (the admin, a form that
stores uploads first, article_save, seed_demo, an import, the shell), the field file re-encodes it
before storage writes a byte: the camera's orientation is applied, colours held in an embedded
colour profile are converted to sRGB, and the result is written in the photo's own format with no
metadata at all (no EXIF, GPS position, maker notes, XMP, IPTC, comments or colour profile, whose
description is free text). The stored name's extension is the format's own, whatever the upload was
called. The upload itself is never stored, so there is no original to leak: the stored file is the
published one, and the renditions (core.images) are made from it.

`carries_metadata` and `republish` let `manage.py clean_photos` clean photos stored before this.
"""

import weakref
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.crypto import get_random_string
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# High enough that a second encoding is not seen; the renditions pages use are smaller still.
QUALITY = {"JPEG": 92, "WEBP": 90}
# Keys Pillow puts in `info` that carry anything beyond pixels (text chunks of PNG arrive under their
# own names, so any key outside SAFE_INFO counts).
SAFE_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression"}
SAFE_INFO |= {"adobe", "adobe_transform", "loop", "duration", "background", "transparency", "gamma"}
SAFE_INFO |= {"interlace", "aspect", "srgb", "compression", "lossless", "chromaticity"}
_SRGB = ImageCms.createProfile("sRGB")


def _not_an_image():
    return ValidationError(
        "This file is not an image the site can show. Upload a JPEG, PNG or WebP photo.",
        code="not_an_image",
    )


def _pixels_only(image):
    """A new image holding `image`'s pixels as shown, in sRGB, with no metadata attached."""
    image = ImageOps.exif_transpose(image)
    profile = image.info.get("icc_profile")
    if image.mode not in ("RGB", "RGBA", "L"):
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        if image.mode == "CMYK" and profile:
            pass  # converted with its profile below
        else:
            image = image.convert("RGBA" if has_alpha else "RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(BytesIO(profile))
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            # A broken profile: the pixels are taken as sRGB, as browsers would.
            image = image.convert("RGBA" if image.mode == "RGBA" else "RGB")
    # A fresh image from the raw pixels: nothing in `info` or the EXIF cache can follow it.
    return Image.frombytes(image.mode, image.size, image.tobytes())


def published_copy(content, name):
    """(the bytes to publish, the name to store them under) for an uploaded photo `content` named `name`."""
    content.seek(0)
    try:
        with Image.open(content) as image:
            kind = image.format
            if kind not in EXTENSIONS:
                raise _not_an_image()
            clean = _pixels_only(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise _not_an_image() from None
    buffer = BytesIO()
    if kind == "JPEG":
        if clean.mode == "RGBA":
            clean = clean.convert("RGB")
        clean.save(buffer, "JPEG", quality=QUALITY["JPEG"], optimize=True)
    elif kind == "WEBP":
        clean.save(buffer, "WEBP", quality=QUALITY["WEBP"])
    else:
        clean.save(buffer, "PNG")
    path = PurePosixPath(name)
    return buffer.getvalue(), str(path.with_name(f"{path.stem}.{EXTENSIONS[kind]}"))


def metadata_found(image):
    """The kinds of metadata Pillow finds in an open image: empty for a clean photo."""
    found = sorted(key for key in image.info if key not in SAFE_INFO)
    if image.getexif():
        found.append("EXIF tags")
    found.extend(f"{marker} segment" for marker, _ in getattr(image, "applist", []) if marker != "APP0")
    return found


def carries_metadata(field_file):
    """True when the stored photo has metadata, or an extension that is not its format's own."""
    field_file.open("rb")
    try:
        with Image.open(field_file) as image:
            wrong_name = PurePosixPath(field_file.name).suffix != f".{EXTENSIONS.get(image.format)}"
            return wrong_name or bool(metadata_found(image))
    finally:
        field_file.close()


def _own_stem(storage, name):
    """`name`, or `name` with a random suffix when a stored photo shares its stem under another
    extension: renditions are named after the stem alone, so two such photos would share them."""
    path = PurePosixPath(name)
    others = {"jpeg", *EXTENSIONS.values()} - {path.suffix[1:]}
    if any(storage.exists(str(path.with_suffix(f".{other}"))) for other in others):
        return str(path.with_name(f"{path.stem}-{get_random_string(7)}{path.suffix}"))
    return name


class PhotoFieldFile(ImageFieldFile):
    """An image field's file that stores only the published copy of what it is given."""

    def save(self, name, content, save=True):
        data, name = published_copy(content, name)
        name = _own_stem(self.storage, self.field.generate_filename(self.instance, name))
        content = ContentFile(data, name=name)  # named, so the image's width and height fields are set
        self.name = self.storage.save(name, content, max_length=self.field.max_length)
        self._set_instance_attribute(self.name, content)
        self._committed = True
        if save:
            self.instance.save()

    save.alters_data = True


class PhotoField(models.ImageField):
    """An ImageField whose stored files carry no metadata (see the module's docstring)."""

    attr_class = PhotoFieldFile


def republish(field_file):
    """Store a clean copy of a stored photo under a new name and return that name; the caller points
    its row at it and then deletes the old file."""
    field_file.open("rb")
    try:
        data, name = published_copy(field_file, field_file.name)
    finally:
        field_file.close()
    return field_file.storage.save(_own_stem(field_file.storage, name), ContentFile(data))


def forget_replaced(model, field_names):
    """Delete a photo of `model`'s `field_names` from storage once a save that replaced or cleared it,
    or deleted its row, commits, unless a row of `model` still shows it: nothing of it stays public.
    For photos without renditions (the site's logo and image); articles.photos does the same for hero
    and author photos and their renditions."""

    def forget(names):
        for field_name, name in names:
            if name and not model.objects.filter(**{field_name: name}).exists():
                model._meta.get_field(field_name).storage.delete(name)

    # What each save in progress replaces, from pre_save (the row as stored) to post_save.
    replaced = weakref.WeakKeyDictionary()

    def replacing(sender, instance, raw=False, using="default", **kwargs):
        if raw or instance.pk is None:
            return
        stored = sender.objects.using(using).filter(pk=instance.pk).values(*field_names).first()
        if stored is None:
            return
        gone = [(name, stored[name]) for name in field_names if stored[name] != getattr(instance, name).name]
        if gone:
            replaced[instance] = gone

    def saved(sender, instance, raw=False, using="default", **kwargs):
        gone = replaced.pop(instance, None)
        if gone:
            # Checked again after the commit: the old photo goes only if no row shows it then.
            transaction.on_commit(lambda: forget(gone), using=using)

    def deleted(sender, instance, using="default", **kwargs):
        gone = [(name, getattr(instance, name).name) for name in field_names]
        transaction.on_commit(lambda: forget(gone), using=using)

    label = model._meta.label
    pre_save.connect(replacing, sender=model, weak=False, dispatch_uid=f"photo_replaced_{label}")
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"photo_replacement_saved_{label}")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"photo_deleted_{label}")
