"""Builders for discovery tests: articles with hero photos."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.support import factories


def png_upload(name="hero.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def article_with_hero(**fields):
    return factories.article(hero_image=png_upload(), hero_alt="A mine at dusk", **fields)
