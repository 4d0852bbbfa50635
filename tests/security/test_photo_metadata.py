"""A photo reveals nobody: what the site publishes carries no metadata, every public reference points
at it, and a replaced or deleted photo leaves nothing public behind."""

import io
import json
import re
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image, ImageCms

from articles.models import Article
from articles.services import article_save
from tests.support import factories as f
from tests.support.factories import article_form_data

pytestmark = pytest.mark.django_db

PHOTOGRAPHER = "Ana Ruiz, Pemba"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Ana Ruiz, Pemba</dc:creator></x:xmpmeta>'
ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA_PATH = re.compile(r"""(?:https?://[^/"'\s]+)?%s([^"'\s<>,?]+)""" % re.escape(settings.MEDIA_URL))


def revealing_jpeg(size=(300, 200), orientation=6):
    """A JPEG as a phone writes it: GPS position, the photographer's name, XMP, a comment, a colour
    profile, and an orientation tag (6: shown turned a quarter clockwise)."""
    exif = Image.Exif()
    exif[0x013B] = PHOTOGRAPHER  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "S", 2: (12.0, 58.0, 30.0), 3: "E", 4: (40.0, 31.0, 10.0)}  # GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "teal")
    image.save(buffer, "JPEG", exif=exif, xmp=XMP, comment=PHOTOGRAPHER.encode(), icc_profile=icc)
    return buffer.getvalue()


def assert_reveals_nobody(name):
    """The stored file `name` holds pixels and nothing that names or places anyone."""
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    assert PHOTOGRAPHER.encode() not in data and b"PhoneMaker" not in data and b"xmpmeta" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), f"{name} keeps EXIF"
        assert not image.getexif().get_ifd(0x8825), f"{name} keeps a GPS position"
        leaks = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"} & set(image.info)
        assert not leaks, f"{name} keeps {leaks}"
        assert [marker for marker, _ in getattr(image, "applist", []) if marker != "APP0"] == []


def media_names(text):
    """Storage names of every media file `text` refers to."""
    return {match.group(1) for match in MEDIA_PATH.finditer(text)}


@pytest.fixture
def editor_client(client):
    client.force_login(f.user(group="Editors", superuser=True))
    return client


def upload_through_admin(editor_client, upload, **changes):
    section = f.section()
    article = Article(
        title="Graphite in Cabo Delgado", slug="graphite-cabo-delgado", section=section, status="published"
    )
    data = article_form_data(
        article,
        section=section.pk,
        hero_image=upload,
        publish_at_0="2026-01-01",
        publish_at_1="09:00:00",
        **changes,
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.get(slug="graphite-cabo-delgado")


def test_every_public_reference_to_an_uploaded_photo_reveals_nobody(editor_client, client):
    """A JPEG with GPS, artist, XMP and a comment uploaded through the admin: the article page, its
    og:image, its JSON-LD image, the RSS and Atom enclosures and the sitemaps point only at files with
    none of it."""
    upload = SimpleUploadedFile("DSC_0042.jpg", revealing_jpeg(), content_type="image/jpeg")
    article = upload_through_admin(editor_client, upload)
    client.logout()

    page = client.get(article.get_absolute_url()).content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
    json_ld = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    ]
    ld_images = re.findall(r'"image": (?:\[)?"([^"]+)"', json.dumps(json_ld)) + [
        image["url"] for block in json_ld for image in _images(block)
    ]
    rss = ElementTree.fromstring(client.get(reverse("articles:feed")).content)
    atom = ElementTree.fromstring(client.get(reverse("articles:feed-atom")).content)
    enclosures = [node.get("url") for node in rss.iter("enclosure")] + [
        node.get("href") for node in atom.iter(f"{ATOM}link") if node.get("rel") == "enclosure"
    ]
    sitemaps = client.get(reverse("articles:sitemap")).content.decode()
    for loc in re.findall(r"<loc>([^<]+)</loc>", sitemaps):
        sitemaps += client.get(urlsplit(loc).path).content.decode()

    assert og_image and ld_images and len(enclosures) == 2
    referenced = media_names(page) | media_names(" ".join([og_image, *ld_images, *enclosures, sitemaps]))
    assert article.hero_image.name in referenced
    assert any("renditions/" in name for name in referenced)
    for name in referenced:
        assert default_storage.exists(name), f"{name} is referenced but not stored"
        assert_reveals_nobody(name)
    # Nothing else was stored either: the upload itself is not kept anywhere.
    assert not _all_stored_names() - referenced - _renditions_of(article)


def _images(node):
    """ImageObjects anywhere in a JSON-LD tree."""
    if isinstance(node, dict):
        if node.get("@type") == "ImageObject" and "url" in node:
            yield node
        for value in node.values():
            yield from _images(value)
    elif isinstance(node, list):
        for value in node:
            yield from _images(value)


def _all_stored_names(folder=""):
    folders, files = default_storage.listdir(folder)
    names = {f"{folder}{name}" for name in files}
    for sub in folders:
        names |= _all_stored_names(f"{folder}{sub}/")
    return names


def _renditions_of(article):
    stem = article.hero_image.name.rsplit(".", 1)[0]
    return {name for name in _all_stored_names() if name.startswith(f"renditions/{stem}-")}


def test_the_published_photo_is_turned_as_it_is_shown(editor_client):
    """A photo whose camera said 'turn a quarter' is stored turned, with no orientation left to apply."""
    upload = SimpleUploadedFile("portrait.jpg", revealing_jpeg(size=(300, 200)), content_type="image/jpeg")
    article = upload_through_admin(editor_client, upload)
    with default_storage.open(article.hero_image.name, "rb") as stored, Image.open(stored) as image:
        assert image.size == (200, 300)
        assert 0x0112 not in image.getexif()
    assert (article.hero_width, article.hero_height) == (200, 300)


def test_a_png_named_pdf_is_stored_and_advertised_as_png(editor_client, client):
    """The stored name's extension is the format's own: a PNG uploaded as .pdf is a .png in the feed."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), "olive").save(buffer, "PNG")
    upload = SimpleUploadedFile("report.pdf", buffer.getvalue(), content_type="application/pdf")
    article = upload_through_admin(editor_client, upload)
    assert article.hero_image.name.endswith(".png")
    enclosure = next(ElementTree.fromstring(client.get(reverse("articles:feed")).content).iter("enclosure"))
    assert enclosure.get("url").endswith(".png") and enclosure.get("type") == "image/png"


def stored_photo_names(article):
    return {article.hero_image.name} | _renditions_of(article)


def test_a_replaced_photo_leaves_nothing_public_behind(editor_client):
    """Replacing the hero photo deletes the old file and every rendition of it."""
    article = upload_through_admin(
        editor_client, SimpleUploadedFile("first.jpg", revealing_jpeg(), content_type="image/jpeg")
    )
    old = stored_photo_names(article)
    assert len(old) > 1 and all(default_storage.exists(name) for name in old)
    replacement = SimpleUploadedFile("second.jpg", revealing_jpeg((500, 300), 1), content_type="image/jpeg")
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form_data(article, hero_image=replacement),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.hero_image.name not in old
    assert [name for name in old if default_storage.exists(name)] == []
    assert all(default_storage.exists(name) for name in stored_photo_names(article))


def test_a_removed_photo_and_a_deleted_article_leave_nothing_behind(editor_client):
    """Clearing the photo, or deleting an article with one, deletes the files."""
    first = upload_through_admin(
        editor_client, SimpleUploadedFile("one.jpg", revealing_jpeg(), content_type="image/jpeg")
    )
    names = stored_photo_names(first)
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[first.pk]),
        article_form_data(first, **{"hero_image-clear": "on"}),
    )
    assert response.status_code == 302
    assert [name for name in names if default_storage.exists(name)] == []

    second = f.article(status="published")
    second.hero_image.save("two.jpg", ContentFile(revealing_jpeg()), save=False)
    article_save(article=second)
    second.refresh_from_db()
    names = stored_photo_names(second)
    assert len(names) > 1
    second.delete()
    assert [name for name in names if default_storage.exists(name)] == []


def test_a_revision_whose_photo_was_deleted_restores_without_a_broken_picture():
    """Restoring a version whose photo has since been replaced keeps the current photo, and says so."""
    from articles.revisions import snapshots

    article = f.article(status="published")
    article.hero_image.save("old.jpg", ContentFile(revealing_jpeg()), save=False)
    article_save(article=article)
    article.refresh_from_db()
    before = snapshots.take(article.pk)
    article.hero_image.save("new.jpg", ContentFile(revealing_jpeg()), save=False)
    article_save(article=article)
    article.refresh_from_db()
    current = article.hero_image.name
    _, notes = snapshots.apply(article, before, ["hero_image"])
    assert article.hero_image.name == current and "photo" in notes[0]


def test_clean_photos_cleans_what_was_published_before_and_is_idempotent(capsys):
    """A hero stored with its metadata (before this change) is re-encoded under a clean name, its old
    file and renditions deleted; a second run changes nothing."""
    article = f.article(status="published")
    leaky = default_storage.save("heroes/2025/05/leaky.jpeg", ContentFile(revealing_jpeg((900, 600), 1)))
    Article.objects.filter(pk=article.pk).update(hero_image=leaky)
    call_command("make_renditions")
    article.refresh_from_db()
    old = stored_photo_names(article)
    assert len(old) > 1

    call_command("clean_photos")
    article.refresh_from_db()
    assert article.hero_image.name != leaky and article.hero_image.name.endswith(".jpg")
    assert [name for name in old if default_storage.exists(name)] == []
    for name in stored_photo_names(article):
        assert_reveals_nobody(name)
    assert "Cleaned 1 photos." in capsys.readouterr().out

    cleaned = article.hero_image.name
    call_command("clean_photos")
    article.refresh_from_db()
    assert article.hero_image.name == cleaned
    assert "Cleaned 0 photos." in capsys.readouterr().out


def test_clean_photos_fails_with_one_line_for_a_missing_file():
    """A photo missing from storage makes the command exit non-zero, saying how many."""
    article = f.article(status="published")
    Article.objects.filter(pk=article.pk).update(hero_image="heroes/gone.jpg")
    with pytest.raises(CommandError, match="1 photos could not be read"):
        call_command("clean_photos")


def test_a_replaced_site_logo_leaves_nothing_behind():
    """The site's logo and image for articles are stored clean, and a replaced one is deleted."""
    from core.models import SiteSettings

    SiteSettings(logo=SimpleUploadedFile("logo.jpg", revealing_jpeg((300, 300), 1))).save()
    first = SiteSettings.objects.get().logo.name
    assert_reveals_nobody(first)
    settings_row = SiteSettings.objects.get()
    settings_row.logo = SimpleUploadedFile("logo2.jpg", revealing_jpeg((320, 320), 1))
    settings_row.save()
    assert not default_storage.exists(first)
    assert_reveals_nobody(SiteSettings.objects.get().logo.name)
