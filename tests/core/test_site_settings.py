"""The site's editable settings: one row with shipped defaults for the publisher's logo and the article
image."""

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from core.models import DEFAULT_ARTICLE_IMAGE, DEFAULT_LOGO, SiteSettings
from tests.support import factories as f
from tests.support.factories_discovery import png_upload
from tests.support.parsing import json_ld_blocks, meta_content

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


def news_article(response):
    return next(data for data, _ in json_ld_blocks(response) if data["@type"] == "NewsArticle")


@pytest.mark.parametrize("shipped", [DEFAULT_LOGO, DEFAULT_ARTICLE_IMAGE])
def test_shipped_images_exist_with_the_sizes_named(shipped):
    """The shipped logo and article image are in static/ at the sizes the structured data states."""
    name, width, height = shipped
    path = finders.find(name)
    assert path is not None
    with Image.open(path) as image:
        assert image.size == (width, height)


def test_uploaded_logo_and_image_replace_the_shipped_ones_at_once(client):
    """An editor's logo and article image are used on the next page view, with their own sizes."""
    plain = f.article()
    client.get(plain.get_absolute_url())  # the shipped ones are now cached
    SiteSettings(
        logo=png_upload("logo.png", size=(300, 120)), article_image=png_upload("card.png", size=(1200, 630))
    ).save()
    response = client.get(plain.get_absolute_url())
    logo = news_article(response)["publisher"]["logo"]
    assert logo["url"].startswith(SITE + "/media/site/logo") and (logo["width"], logo["height"]) == (300, 120)
    assert news_article(response)["image"][0].startswith(SITE + "/media/site/card")
    assert meta_content(response, "property", "og:image")[0].startswith(SITE + "/media/site/card")


def test_there_is_one_row_whoever_saves():
    """Saving a new SiteSettings replaces the row instead of adding a second."""
    SiteSettings().save()
    SiteSettings(logo=png_upload("logo.png", size=(200, 200))).save()
    assert SiteSettings.objects.count() == 1 and SiteSettings.current().logo


@pytest.mark.parametrize(
    ("field", "size"), [("logo", (100, 300)), ("article_image", (600, 400)), ("article_image", (700, 60))]
)
def test_images_too_small_for_search_engines_are_refused(field, size):
    """A logo under 112 px a side, or an article image under 696 px wide or 50,000 px, is refused with its
    size."""
    settings_row = SiteSettings(**{field: png_upload(size=size)})
    with pytest.raises(ValidationError) as error:
        settings_row.full_clean()
    assert f"{size[0]} × {size[1]}" in str(error.value.message_dict[field])


def test_admin_edits_the_one_row_and_never_adds_or_deletes(client):
    """The admin opens the row from its list, shows what is in use, refuses a second row and deletion."""
    client.force_login(f.user(superuser=True))
    add = reverse("admin:core_sitesettings_add")
    response = client.post(add, {"logo": png_upload("logo.png", size=(256, 256))})
    assert response.status_code == 302
    assert client.get(reverse("admin:core_sitesettings_changelist"))["Location"] == reverse(
        "admin:core_sitesettings_change", args=[1]
    )
    page = client.get(reverse("admin:core_sitesettings_change", args=[1])).content.decode()
    assert "256 × 256 px" in page and "1200 × 675 px" in page
    assert client.get(add).status_code == 403
    assert (
        client.post(reverse("admin:core_sitesettings_delete", args=[1]), {"post": "yes"}).status_code == 403
    )
    response = client.post(
        reverse("admin:core_sitesettings_change", args=[1]), {"logo": png_upload(size=(50, 50))}
    )
    assert (
        response.status_code == 200 and "search engines need at least 112 × 112" in response.content.decode()
    )
