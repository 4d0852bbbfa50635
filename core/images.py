"""Uploaded photos: what is accepted, and the renditions pages serve instead of the original.

An upload must really be a JPEG, PNG or WebP image (Pillow reads and verifies it, whatever its
name says), no larger than IMAGE_UPLOAD_MAX_BYTES and IMAGE_MAX_PIXELS; anything else is refused
with a form error saying why. Each accepted photo gets renditions at a few widths, in WebP and in
JPEG for browsers without WebP, made once when the row holding it is saved and stored beside the
original under renditions/. Their names follow from the original's name and width alone, so a
page lists them without touching the storage.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Pillow's encoders and the Content-Type browsers are told, per rendition format.
RENDITION_FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
QUALITY = {"WEBP": 80, "JPEG": 82}


def _limits():
    return (
        settings.IMAGE_UPLOAD_MAX_BYTES,
        settings.IMAGE_MAX_PIXELS,
    )


def validate_photo(file):
    """Refuse an upload that is too large, not an image, or an image of a kind the site does not serve."""
    max_bytes, max_pixels = _limits()
    if file.size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; photos may be at most %(limit)s. Export a smaller JPEG and upload that.",
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            if width * height > max_pixels:
                raise ValidationError(
                    "This photo is %(width)d × %(height)d pixels; "
                    "at most %(limit)s million pixels are accepted.",
                    code="too_many_pixels",
                    params={"width": width, "height": height, "limit": max_pixels // 1_000_000},
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            "This file is not an image the site can show. Upload a JPEG, PNG or WebP photo.",
            code="not_an_image",
        ) from None
    finally:
        file.seek(position)
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(
            "%(kind)s images are not accepted. Upload a JPEG, PNG or WebP photo.",
            code="format",
            params={"kind": kind},
        )


def rendition_widths(original_width, widths):
    """The widths made for a photo `original_width` wide: each of `widths` below it, and never an
    enlargement (a photo narrower than the smallest width gets one rendition at its own width)."""
    made = {width for width in widths if width < original_width}
    made.add(min(original_width, max(widths)))
    return sorted(made)


def rendition_name(original_name, width, extension):
    path = PurePosixPath(original_name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}w.{extension}")


def make_renditions(field_file, widths):
    """Store the renditions of `field_file` that do not exist yet.

    Returns (the photo's width and height, how many renditions were made); the size is read from
    the file's header, so a photo whose renditions all exist costs no decoding.
    """
    storage = field_file.storage
    field_file.open("rb")
    try:
        with Image.open(field_file) as original:
            original = ImageOps.exif_transpose(original)  # a turned photo is as wide as it shows
            size = original.size
            wanted = [
                (width, extension, encoder)
                for width in rendition_widths(size[0], widths)
                for extension, encoder, _ in RENDITION_FORMATS
                if not storage.exists(rendition_name(field_file.name, width, extension))
            ]
            if wanted and original.mode not in ("RGB", "RGBA"):
                original = original.convert("RGBA" if "A" in original.getbands() else "RGB")
            for width, extension, encoder in wanted:
                image = original.copy()
                image.thumbnail((width, width * 10), Image.Resampling.LANCZOS)
                if encoder == "JPEG" and image.mode == "RGBA":
                    flat = Image.new("RGB", image.size, "white")
                    flat.paste(image, mask=image.getchannel("A"))
                    image = flat
                buffer = BytesIO()
                image.save(buffer, encoder, quality=QUALITY[encoder], optimize=True)
                storage.save(
                    rendition_name(field_file.name, width, extension), ContentFile(buffer.getvalue())
                )
    finally:
        field_file.close()
    return size, len(wanted)


def picture_sources(name, original_width, widths, media_url):
    """(sources as [(MIME type, srcset)], the JPEG fallback URL) for a photo stored as `name`."""
    made = rendition_widths(original_width, widths)
    sources = [
        (mime, ", ".join(f"{media_url}{rendition_name(name, width, extension)} {width}w" for width in made))
        for extension, _, mime in RENDITION_FORMATS
    ]
    fallback = media_url + rendition_name(name, made[-1], "jpg")
    return sources, fallback


def picture_html(
    field_file,
    widths,
    size,
    *,
    sizes,
    alt="",
    loading="lazy",
    css_class="",
    width=None,
    height=None,
    fetchpriority=None,
):
    """<picture> for a stored photo of `size` (its recorded width and height): WebP and JPEG
    renditions with srcset and sizes, the JPEG as the fallback, and width and height (the photo's
    own unless given) so the layout does not jump. The first picture above the fold is passed
    loading="eager" and fetchpriority="high"; every other stays lazy.

    A photo without a recorded size has no renditions yet (saved before they existed, until
    `manage.py make_renditions` runs): it is shown as it is.
    """
    original_width, original_height = size
    attrs = format_html(
        'alt="{}" width="{}" height="{}" loading="{}" decoding="async"{}{}',
        alt,
        width or original_width or "",
        height or original_height or "",
        loading,
        format_html(' fetchpriority="{}"', fetchpriority) if fetchpriority else "",
        format_html(' class="{}"', css_class) if css_class else "",
    )
    if not original_width:
        return format_html('<img src="{}" {}>', field_file.url, attrs)
    sources, fallback = picture_sources(field_file.name, original_width, widths, settings.MEDIA_URL)
    (webp_type, webp_srcset), (_, jpeg_srcset) = sources
    return format_html(
        '<picture><source type="{}" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" {}></picture>',
        webp_type,
        webp_srcset,
        sizes,
        fallback,
        jpeg_srcset,
        sizes,
        attrs,
    )
