"""Pictures come from the copy of the uploads folder, never the old server: the featured image as the
hero photo (checked and given renditions as an upload is), body images re-pointed, and every picture
that cannot be found listed with its article."""

import pytest
from django.core.files.storage import default_storage

from articles.models import Article

from .conftest import photo, run_import

pytestmark = pytest.mark.django_db


def test_featured_image_becomes_the_hero_with_alt_caption_and_renditions(subjects, uploads):
    """_thumbnail_id → its attachment → the file under --uploads; alt and caption come with it."""
    report = run_import("--uploads", str(uploads))
    live = Article.objects.get(slug="lithium-prices-slide")
    assert live.hero_image and default_storage.exists(live.hero_image.name)
    assert live.hero_alt == "Evaporation ponds seen from above"
    assert live.hero_caption == "Brine pools in the Atacama."
    # The renditions were made when the save committed, as for an upload in the admin.
    assert (live.hero_width, live.hero_height) == (1000, 700)
    assert "1 hero photos" in report


def test_missing_featured_image_and_body_image_are_listed_with_their_article(subjects, uploads):
    """A picture not in the folder is listed with the article it belongs to; the import still succeeds."""
    report = run_import("--uploads", str(uploads))
    assert "2 missing" in report
    assert (
        "How a mine is permitted: https://minerals.example.com/wp-content/uploads/2023/11/permit.jpg"
        in report
    )
    assert (
        "How a mine is permitted: https://minerals.example.com/wp-content/uploads/2023/11/gone.jpg" in report
    )
    assert not Article.objects.get(slug="how-a-mine-is-permitted").hero_image


def test_body_images_are_imported_and_repointed(subjects, uploads, settings):
    """An image at the old uploads address is stored here and the body points at the new copy; a resized
    copy that is not in the folder falls back to its original."""
    run_import("--uploads", str(uploads))
    body = Article.objects.get(slug="how-a-mine-is-permitted").body
    assert f'src="{settings.MEDIA_URL}imported/2023/11/pit-800x600.jpg"' in body
    assert default_storage.exists("imported/2023/11/pit-800x600.jpg")
    # The one that could not be found still points where it did, and is listed.
    assert "wp-content/uploads/2023/11/gone.jpg" in body


def test_a_file_that_is_not_a_photo_is_refused_as_an_upload_would_be(subjects, uploads):
    """The upload check runs on imported files: a text file named .jpg is refused and listed."""
    (uploads / "2024/03/lithium.jpg").write_text("not a picture")
    report = run_import("--uploads", str(uploads))
    assert not Article.objects.get(slug="lithium-prices-slide").hero_image
    assert "not an image the site can show" in report


def test_without_uploads_every_picture_is_listed(subjects):
    """No --uploads: nothing is fetched from the old server; each picture is listed as missing."""
    report = run_import()
    assert "4 missing" in report and "no --uploads folder given" in report


def test_rerun_does_not_store_the_hero_again(subjects, uploads, tmp_path):
    """A second run with the post unchanged keeps the stored photo and lists the same findings."""
    run_import("--uploads", str(uploads))
    first = Article.objects.get(slug="lithium-prices-slide").hero_image.name
    report = run_import("--uploads", str(uploads))
    assert Article.objects.get(slug="lithium-prices-slide").hero_image.name == first
    assert "1 hero photos" in report and "2 missing" in report


def test_uploads_path_cannot_leave_the_folder(tmp_path):
    """An attachment path with ../ never reads outside the uploads copy."""
    from importer.pictures import Uploads

    photo(tmp_path / "secret.jpg")
    uploads = Uploads(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    assert uploads.find("../secret.jpg") is None
