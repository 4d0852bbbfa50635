"""What compressing shared pages buys and costs: bytes on the wire and time per request, with and without
gzip, for the front page, an article, a section, a feed and the sitemaps, served from the page cache.

Loads the demo newsroom into a scratch SQLite database, turns the page cache on (local memory unless
REDIS_URL is set) and requests each page through Django's full request stack.
Usage: python bench/compression_bench.py [--requests N]
"""

import argparse
import gzip
import io
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--requests", type=int, default=300)
args, _ = parser.parse_known_args()

scratch = tempfile.mkdtemp(prefix="newsroom-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SITE_URL", "https://news.example.org")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ["NEWSROOM_PAGE_CACHE"] = "1"
os.environ["MEDIA_ROOT"] = scratch

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
setup_test_environment()
connection.creation.create_test_db(verbosity=0, autoclobber=True)
call_command("seed_demo", force=True, stdout=io.StringIO())
call_command("seed_demo_comments", stdout=io.StringIO())

from articles.models import Article  # noqa: E402

article = Article.objects.published().filter(slug="magnet-export-licences-slow-shipments").first()
pages = {
    "front page": reverse("articles:front-page"),
    "article with comments": article.get_absolute_url(),
    "section": article.section.get_absolute_url(),
    "RSS feed": reverse("articles:feed"),
    "sitemap (articles)": reverse("articles:sitemap-section", kwargs={"section": "articles"}),
    "news sitemap": reverse("articles:news-sitemap"),
}
client = Client()


def per_request_ms(url, headers):
    client.get(url, **headers)  # stored in the page cache
    times = []
    for _ in range(args.requests):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit", (url, response.status_code)
    return response, statistics.median(times)


print(f"{args.requests} requests per page, page cache hits, {connection.vendor}, Django test client")
print("| page | bytes | gzip bytes | ratio | ms plain | ms gzip | compression ms |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, url in pages.items():
    plain, plain_ms = per_request_ms(url, {})
    packed, packed_ms = per_request_ms(url, {"HTTP_ACCEPT_ENCODING": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and gzip.decompress(packed.content) == plain.content
    size, packed_size = len(plain.content), len(packed.content)
    print(
        f"| {name} | {size:,} | {packed_size:,} | {size / packed_size:.1f}× | {plain_ms:.2f} "
        f"| {packed_ms:.2f} | {packed_ms - plain_ms:+.2f} |"
    )
