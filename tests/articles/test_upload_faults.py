"""An upload the file storage cannot take (not writable, disk full) is a form error that keeps the
editor's other changes, never the 500 page that loses the edit."""

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Author
from tests.articles.test_photos import image_bytes
from tests.support import factories as f
from tests.support.factories import article_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(f.user(group="Editors", superuser=True))
    return client


def photo():
    return SimpleUploadedFile("harbour.jpg", image_bytes((1200, 800)), content_type="image/jpeg")


def disk_full(self, name, content, max_length=None):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_gives_a_form_error_and_keeps_the_edit(editor_client, monkeypatch):
    """With the disk full, saving an article with a new hero photo re-shows the form with an error on the
    photo and the editor's new headline in it; nothing is half-saved; saving again without the photo
    keeps the edit."""
    article = f.article(title="Old headline")
    monkeypatch.setattr(FileSystemStorage, "save", disk_full)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form_data(article, title="New headline after a long edit", hero_image=photo())
    response = editor_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The photo could not be stored (no space left on device)" in body
    assert 'value="New headline after a long edit"' in body
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Old headline" and not stored.hero_image

    monkeypatch.undo()
    response = editor_client.post(url, article_form_data(article, title="New headline after a long edit"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "New headline after a long edit"


def not_writable(self, name, content, max_length=None):
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self.location))


def test_media_storage_that_is_not_writable_gives_a_form_error(editor_client, monkeypatch):
    """A media folder the server may not write to gives the same form error for a new article, which is not
    created."""
    monkeypatch.setattr(FileSystemStorage, "save", not_writable)
    section = f.section()
    article = Article(title="Draft with a photo", slug="draft-with-a-photo", section=section, status="draft")
    data = article_form_data(
        article, section=section.pk, hero_image=photo(), publish_at_0="2026-01-01", publish_at_1="09:00:00"
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "The photo could not be stored (permission denied)" in response.content.decode()
    assert not Article.objects.filter(slug="draft-with-a-photo").exists()


def test_an_author_photo_that_cannot_be_stored_keeps_the_bio(editor_client, monkeypatch):
    """Author photos take the same path: a form error, and the new bio still in the form."""
    author = Author.objects.create(name="Ana Ruiz", slug="ana-ruiz")
    monkeypatch.setattr(FileSystemStorage, "save", disk_full)
    response = editor_client.post(
        reverse("admin:articles_author_change", args=[author.pk]),
        {
            "name": "Ana Ruiz",
            "slug": "ana-ruiz",
            "role": "",
            "bio": "Covers lithium from Santiago.",
            "photo": photo(),
            "user": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The photo could not be stored" in body and "Covers lithium from Santiago." in body
    assert Author.objects.get(pk=author.pk).bio != "Covers lithium from Santiago."
