"""The site's own settings that editors change without a deploy: one row, with shipped defaults."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.templatetags.static import static

from core.images import validate_photo
from core.published_photos import PhotoField
from core.site import absolute_url

CACHE_KEY = "core:site-settings"
CACHE_SECONDS = 300  # a change shows on every server within five minutes, at once on the one that saved it

# Shipped with the site (static/img/), used until an editor uploads their own.
DEFAULT_LOGO = ("img/publisher-logo.png", 512, 512)
DEFAULT_ARTICLE_IMAGE = ("img/article-default.png", 1200, 675)
# Search engines' minimums for an organisation's logo and an article's image.
LOGO_MIN_SIDE = 112
ARTICLE_IMAGE_MIN_WIDTH, ARTICLE_IMAGE_MIN_PIXELS = 696, 50_000


class Picture:
    """An image's absolute address and size, as structured data and link previews name it."""

    def __init__(self, url, width, height):
        self.url, self.width, self.height = url, width, height

    def image_object(self):
        return {"@type": "ImageObject", "url": self.url, "width": self.width, "height": self.height}


class SiteSettings(models.Model):
    """The publisher's logo and the picture for articles without a photo; the first row is the site's."""

    logo = PhotoField(
        upload_to="site/",
        blank=True,
        validators=[validate_photo],
        width_field="logo_width",
        height_field="logo_height",
        help_text=(
            "The publisher's logo in search results: PNG or JPEG, at least "
            f"{LOGO_MIN_SIDE} × {LOGO_MIN_SIDE} px. Leave empty for the logo the site ships with."
        ),
    )
    logo_width = models.PositiveIntegerField(null=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, editable=False)
    article_image = PhotoField(
        upload_to="site/",
        blank=True,
        validators=[validate_photo],
        width_field="article_image_width",
        height_field="article_image_height",
        verbose_name="image for articles without a photo",
        help_text=(
            "Shown by search results and link previews for an article without a hero photo: at least "
            f"{ARTICLE_IMAGE_MIN_WIDTH} px wide, ideally 1200 × 675. "
            "Leave empty for the image the site ships with."
        ),
    )
    article_image_width = models.PositiveIntegerField(null=True, editable=False)
    article_image_height = models.PositiveIntegerField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def clean(self):
        if self.logo and min(self.logo_width or 0, self.logo_height or 0) < LOGO_MIN_SIDE:
            raise ValidationError(
                {
                    "logo": (
                        f"The logo is {self.logo_width} × {self.logo_height} px; "
                        f"search engines need at least {LOGO_MIN_SIDE} × {LOGO_MIN_SIDE}."
                    )
                },
                code="too_small",
            )
        width, height = self.article_image_width or 0, self.article_image_height or 0
        if self.article_image and (
            width < ARTICLE_IMAGE_MIN_WIDTH or width * height < ARTICLE_IMAGE_MIN_PIXELS
        ):
            raise ValidationError(
                {
                    "article_image": f"The image is {width} × {height} px; it needs to be at least "
                    f"{ARTICLE_IMAGE_MIN_WIDTH} px wide."
                },
                code="too_small",
            )

    def save(self, *args, **kwargs):
        self.pk = 1  # one row: the site's
        super().save(*args, **kwargs)
        cache.set(CACHE_KEY, self, CACHE_SECONDS)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(CACHE_KEY)
        return result

    @classmethod
    def current(cls):
        """The site's settings, from the shared cache when it has them (pages read them on every view)."""
        current = cache.get(CACHE_KEY)
        if current is None:
            current = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(CACHE_KEY, current, CACHE_SECONDS)
        return current

    def publisher_logo(self):
        if self.logo:
            return Picture(absolute_url(self.logo.url), self.logo_width, self.logo_height)
        return _shipped(*DEFAULT_LOGO)

    def default_article_image(self):
        if self.article_image:
            return Picture(
                absolute_url(self.article_image.url), self.article_image_width, self.article_image_height
            )
        return _shipped(*DEFAULT_ARTICLE_IMAGE)


def _shipped(name, width, height):
    return Picture(absolute_url(static(name)), width, height)
