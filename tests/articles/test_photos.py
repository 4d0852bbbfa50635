"""Hero and author photos: renditions made once, responsive markup, and uploads refused with a reason."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.models import Article, Author
from articles.services import article_save
from tests.support import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def commits(monkeypatch):
    """Renditions are made once a save commits; here each save counts as committed at once."""
    from articles import photos

    monkeypatch.setattr(photos.transaction, "on_commit", lambda callback, using=None: callback())


def image_bytes(size=(2000, 1000), kind="JPEG", color="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def with_hero(article, size=(2000, 1000), kind="JPEG"):
    article.hero_image.save(
        f"{article.slug}.{kind.lower()}", ContentFile(image_bytes(size, kind)), save=False
    )
    article_save(article=article)
    article.refresh_from_db()
    return article


def renditions(media, original_name):
    stem = original_name.rsplit(".", 1)[0]
    return sorted(p.name for p in (media / "renditions" / stem).parent.glob(stem.rsplit("/", 1)[-1] + "-*"))


def test_saving_a_hero_makes_webp_and_jpeg_renditions(isolated_media):
    """A 2000-pixel hero gets WebP and JPEG copies at 480, 800, 1200 and 1600 pixels, no larger."""
    article = with_hero(f.article())
    assert (article.hero_width, article.hero_height) == (2000, 1000)
    names = renditions(isolated_media, article.hero_image.name)
    stem = article.slug
    assert names == sorted(f"{stem}-{w}w.{ext}" for w in (480, 800, 1200, 1600) for ext in ("jpg", "webp"))
    with Image.open(
        isolated_media
        / "renditions"
        / article.hero_image.name.rsplit(".", 1)[0].rsplit("/", 1)[0]
        / f"{stem}-800w.webp"
    ) as copy:
        assert copy.format == "WEBP" and copy.size == (800, 400)


def test_a_small_photo_is_never_enlarged(isolated_media):
    """A photo narrower than the smallest width gets one copy at its own width."""
    article = with_hero(f.article(), size=(300, 200), kind="PNG")
    assert renditions(isolated_media, article.hero_image.name) == [
        f"{article.slug}-300w.jpg",
        f"{article.slug}-300w.webp",
    ]


def test_renditions_are_made_once():
    """Saving the article again makes nothing new."""
    from articles.photos import HERO_WIDTHS
    from core.images import make_renditions

    article = with_hero(f.article())
    article_save(article=Article.objects.get(pk=article.pk))
    assert make_renditions(Article.objects.get(pk=article.pk).hero_image, HERO_WIDTHS) == ((2000, 1000), 0)


def test_article_page_serves_responsive_renditions(client):
    """The hero is a <picture> with WebP and JPEG srcsets, sizes, its own width and height, loaded at once;
    author photos below it load lazily."""
    writer = f.author()
    writer.photo.save("writer.jpg", ContentFile(image_bytes((400, 400))), save=True)
    article = with_hero(f.article(authors=[writer]))
    html = client.get(article.get_absolute_url()).content.decode()
    hero = re.search(r'<figure class="hero">\s*(<picture>.*?</picture>)', html, re.S).group(1)
    assert '<source type="image/webp" srcset="' in hero and "1600w" in hero and "480w" in hero
    assert 'sizes="(min-width: 64rem) 44rem, calc(100vw - 2rem)"' in hero
    assert 'width="2000" height="1000"' in hero and 'loading="eager"' in hero
    assert re.search(r'<img src="/media/renditions/[^"]+-1600w\.jpg" srcset="[^"]+\.jpg 480w', hero)
    bio = re.search(r'<section class="author-bio">\s*(<picture>.*?</picture>)', html, re.S).group(1)
    assert 'loading="lazy"' in bio and 'width="64" height="64"' in bio and "192w" in bio


def test_only_the_front_pages_featured_photo_loads_at_once(client):
    """The featured card at the top of the front page is eager; nothing else there is."""
    with_hero(f.article(is_featured=True))
    html = client.get("/").content.decode()
    assert html.count("<picture>") == 1 and 'loading="eager"' in html


def test_a_photo_saved_before_renditions_is_shown_as_it_is(client):
    """A row whose dimensions were never recorded gets a plain image, not links to missing copies."""
    article = with_hero(f.article())
    Article.objects.filter(pk=article.pk).update(hero_width=None, hero_height=None)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="/media/{article.hero_image.name}"' in html


def test_make_renditions_command_catches_up_old_photos(isolated_media):
    """The command records missing dimensions and makes missing renditions, once."""
    article = with_hero(f.article())
    for path in (isolated_media / "renditions").rglob("*.*"):
        path.unlink()
    Article.objects.filter(pk=article.pk).update(hero_width=None, hero_height=None)
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "Made 8 renditions." in out.getvalue()
    assert Article.objects.values_list("hero_width", flat=True).get(pk=article.pk) == 2000
    call_command("make_renditions", stdout=out)
    assert "Made 0 renditions." in out.getvalue()


@pytest.fixture
def editor():
    client = Client()
    client.force_login(f.user(superuser=True))
    return client


def post_author_photo(editor, upload):
    return editor.post(
        reverse("admin:articles_author_add"), {"name": "Ana Ruiz", "slug": "ana-ruiz", "photo": upload}
    )


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("notes.jpg", b"these are not pixels", "image/jpeg"), "Upload a valid image"),
        (
            SimpleUploadedFile("anim.gif", image_bytes((40, 40), "GIF"), "image/gif"),
            "GIF images are not accepted",
        ),
    ],
)
def test_uploads_that_are_not_photos_are_refused_with_a_reason(editor, upload, message):
    """A file that is not an image, or an image of a kind the site does not serve, gets a form error."""
    response = post_author_photo(editor, upload)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Author.objects.exists()


def test_uploads_over_the_size_limit_are_refused(editor, settings):
    """A photo over IMAGE_UPLOAD_MAX_BYTES gets a form error naming the limit."""
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    response = post_author_photo(
        editor,
        SimpleUploadedFile("big.png", image_bytes((800, 800), "PNG", "white") + b"\0" * 20_000, "image/png"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "photos may be at most 9.8\xa0KB" in html
    assert not Author.objects.exists()


def test_uploads_with_too_many_pixels_are_refused(editor, settings):
    """A photo past IMAGE_MAX_PIXELS is refused before anything decodes it."""
    settings.IMAGE_MAX_PIXELS = 1_000_000
    response = post_author_photo(
        editor, SimpleUploadedFile("wide.png", image_bytes((2000, 1000), "PNG"), "image/png")
    )
    assert "2000 × 1000 pixels" in response.content.decode()
    assert not Author.objects.exists()


def test_a_good_photo_is_accepted_in_the_admin(editor, isolated_media):
    """A real JPEG is stored with its size recorded and its renditions made."""
    response = post_author_photo(editor, SimpleUploadedFile("ana.jpg", image_bytes((600, 600)), "image/jpeg"))
    assert response.status_code == 302
    author = Author.objects.get()
    assert (author.photo_width, author.photo_height) == (600, 600)
    assert len(list((isolated_media / "renditions").rglob("ana-*"))) == 6
