"""Pictures on object storage: with MEDIA_STORAGE_URL, a photo uploaded through one app server and its
renditions are in the shared store, and another app server's page links to files readers can fetch."""

import io
import json
import os
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from urllib.error import HTTPError

import pytest
from django.db import connection
from PIL import Image

from tests.support import factories as f

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.objectstorage, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# An app server: a separate process with its own Django and no disk in common with the other, sharing
# PostgreSQL and the object store.
APP_SERVER = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
from articles.models import Article
from articles.services import article_save

command, pk = sys.argv[1], int(sys.argv[2])
article = Article.objects.get(pk=pk)
if command == "upload":
    with open(sys.argv[3], "rb") as photo:
        article.hero_image = ContentFile(photo.read(), name="harbour.jpg")
    article.hero_alt = "A harbour"
    article_save(article=article)
    article.refresh_from_db()
    print(json.dumps({"name": article.hero_image.name, "width": article.hero_width}))
elif command == "page":
    response = Client().get(article.get_absolute_url())
    print(json.dumps({"status": response.status_code, "html": response.content.decode(),
                      "media_url": settings.MEDIA_URL, "url": article.hero_image.url}))
elif command == "delete":
    default_storage.delete(sys.argv[3])
    print(json.dumps({"exists": default_storage.exists(sys.argv[3])}))
"""


@pytest.fixture
def store():
    """A bucket of its own on the local S3-compatible server, and the address that names it."""
    import boto3

    endpoint = os.environ["NEWSROOM_S3_TEST_ENDPOINT"]
    bucket = f"newsroom-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    host = endpoint.split("://", 1)[1]
    return {"url": f"s3://test:test@{host}/{bucket}?secure=0", "client": client, "bucket": bucket}


def app_server(store, *args):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_STORAGE_URL": store["url"],
        "MEDIA_ROOT": "/nonexistent/each-server-its-own-disk",
    }
    result = subprocess.run(
        [sys.executable, "-c", APP_SERVER, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, b""


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "harbour.jpg"
    Image.new("RGB", (1600, 900), (30, 90, 160)).save(path, "JPEG")
    return path


def test_a_photo_uploaded_on_one_server_is_served_from_the_store_on_another(store, photo):
    """Server A stores the upload and its renditions in the bucket; server B's page links to them, and
    every linked file is fetched from the store as a picture."""
    story = f.article(title="Harbour expansion")
    uploaded = app_server(store, "upload", story.pk, photo)
    assert uploaded["width"] == 1600
    keys = {item["Key"] for item in store["client"].list_objects_v2(Bucket=store["bucket"])["Contents"]}
    assert uploaded["name"] in keys and any(key.endswith(".webp") for key in keys), keys

    page = app_server(store, "page", story.pk)
    assert page["status"] == 200 and page["media_url"].endswith(f"/{store['bucket']}/")
    linked = {url.split(" ")[0] for url in _picture_urls(page["html"], page["media_url"])}
    assert linked, page["html"][:2000]
    for url in linked:
        status, body = fetch(url)
        assert status == 200, url
        Image.open(io.BytesIO(body)).verify()

    assert fetch(page["url"])[0] == 200
    assert app_server(store, "delete", story.pk, uploaded["name"]) == {"exists": False}
    assert fetch(page["url"])[0] in (403, 404)


def test_a_replaced_photo_gets_new_renditions_in_the_store(store, photo, tmp_path):
    """A second upload through the other server is stored beside the first under a name of its own, with
    renditions of its own; the page links to the new one."""
    story = f.article(title="Harbour expansion")
    first = app_server(store, "upload", story.pk, photo)
    other = tmp_path / "other.jpg"
    Image.new("RGB", (1200, 800), (200, 40, 40)).save(other, "JPEG")
    second = app_server(store, "upload", story.pk, other)
    assert second["name"] != first["name"] and second["width"] == 1200
    page = app_server(store, "page", story.pk)
    stem = second["name"].rsplit(".", 1)[0]
    assert stem in page["html"]
    assert all(fetch(url.split(" ")[0])[0] == 200 for url in _picture_urls(page["html"], page["media_url"]))


def _picture_urls(html, media_url):
    import re

    found = set()
    for attribute in re.findall(r'(?:src|srcset)="([^"]+)"', html):
        for candidate in attribute.split(","):
            url = candidate.strip().split(" ")[0]
            if url.startswith(media_url):
                found.add(url)
    return found
