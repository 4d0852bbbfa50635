"""MEDIA_STORAGE_URL: read into django-storages' options and MEDIA_URL; a malformed one stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom import settings as project

ROOT = Path(__file__).resolve().parents[2]


def test_an_object_store_address_becomes_the_default_storage_and_media_url():
    """Keys, bucket, endpoint and the public address all come from the one URL."""
    storage, media_url = project._object_storage(
        "s3://KEY:S%2FECRET@minio.internal:9000/photos?secure=0&region=eu-west-1"
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["access_key"], options["secret_key"], options["bucket_name"]) == (
        "KEY",
        "S/ECRET",
        "photos",
    )
    assert options["endpoint_url"] == "http://minio.internal:9000" and options["region_name"] == "eu-west-1"
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    assert media_url == "http://minio.internal:9000/photos/"
    assert f"{options['url_protocol']}//{options['custom_domain']}/" == media_url


def test_a_public_address_and_bucket_policy_are_honoured():
    """Readers may fetch from a CDN's address; a bucket public by policy gets no per-file ACL."""
    storage, media_url = project._object_storage(
        "s3://KEY:SECRET@s3.eu-west-1.amazonaws.com/photos?acl=none&public_url=https://media.example.org"
    )
    assert media_url == "https://media.example.org/"
    assert storage["OPTIONS"]["default_acl"] is None
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.eu-west-1.amazonaws.com"


@pytest.mark.parametrize("url", ["s3://photos", "https://KEY:SECRET@host/photos", "s3://KEY:SECRET@host/"])
def test_a_malformed_address_stops_start_up_with_one_clear_message(url):
    """Without keys, a bucket or the s3 scheme, the site refuses to start and says what is expected."""
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL must look like"):
        project._object_storage(url)


def test_without_it_media_stay_on_the_local_disk():
    """The embedded default is the local folder, served under /media/."""
    env = {key: value for key, value in os.environ.items() if key != "MEDIA_STORAGE_URL"}
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND'], settings.MEDIA_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["django.core.files.storage.FileSystemStorage", "/media/"], result.stderr


def test_photo_addresses_on_object_storage_stay_absolute_in_feeds_and_meta():
    """og:image, JSON-LD and feed enclosures link a photo on the store at its own address."""
    from core.site import absolute_url

    assert absolute_url("https://media.example.org/heroes/a.jpg") == "https://media.example.org/heroes/a.jpg"
    assert absolute_url("/media/heroes/a.jpg").endswith("/media/heroes/a.jpg")
    assert absolute_url("/media/heroes/a.jpg") != "/media/heroes/a.jpg"
