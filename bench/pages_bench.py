"""Reading-site throughput: render the front page, an article page and a section page many times.

Builds a scratch SQLite database (or uses DATABASE_URL's server, in a database named
<name>_bench) with N articles, then prints requests per second and queries per request for each
page through Django's full request stack. Usage: python bench/pages_bench.py [--articles N] [--requests N]
"""

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--articles", type=int, default=2000)
parser.add_argument("--requests", type=int, default=200)
args, _ = parser.parse_known_args()

scratch = tempfile.mkdtemp(prefix="newsroom-bench-")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SITE_URL", "https://news.example.org")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ["MEDIA_ROOT"] = scratch

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
setup_test_environment()
old_name = connection.settings_dict["NAME"]
connection.creation.create_test_db(verbosity=0, autoclobber=True)

from articles.models import Article, Author, Citation, Country, Mineral, Section, Source  # noqa: E402


def build(n):
    sections = [Section.objects.create(name=f"Section {i}", slug=f"section-{i}") for i in range(6)]
    authors = [Author.objects.create(name=f"Author {i}", slug=f"author-{i}", bio="Bio.") for i in range(20)]
    minerals = [Mineral.objects.create(name=f"Mineral {i}", slug=f"mineral-{i}") for i in range(15)]
    countries = [Country.objects.create(name=f"Country {i}", slug=f"country-{i}") for i in range(25)]
    sources = [
        Source.objects.create(name=f"Source {i}", slug=f"source-{i}", country=countries[i % 25])
        for i in range(40)
    ]
    now = timezone.now()
    body = "<p>" + "Rare earth supply chains shift as export rules tighten. " * 40 + "</p>"
    articles = Article.objects.bulk_create(
        Article(
            title=f"Article {i}",
            slug=f"article-{i}",
            dek="A standfirst.",
            body=body,
            section=sections[i % 6],
            status=Article.Status.PUBLISHED,
            publish_at=now - timezone.timedelta(minutes=i),
        )
        for i in range(n)
    )
    Citation.objects.bulk_create(
        Citation(article=a, source=sources[(a.pk + k) % 40], position=k, url=f"https://e.org/{a.pk}/{k}")
        for a in articles
        for k in range(3)
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article=a, author=authors[a.pk % 20]) for a in articles
    )
    for a in articles[:200]:
        a.minerals.set(minerals[a.pk % 15 : a.pk % 15 + 3])
        a.countries.set(countries[a.pk % 25 : a.pk % 25 + 2])
    return articles


def measure(client, url, count):
    timings, queries = [], []
    settings.DEBUG = True
    for _ in range(count):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        queries.append(len(connection.queries))
        assert response.status_code == 200, (url, response.status_code)
    settings.DEBUG = False
    timings.sort()
    return {
        "req/s": count / sum(timings),
        "median ms": statistics.median(timings) * 1000,
        "p95 ms": timings[int(len(timings) * 0.95) - 1] * 1000,
        "queries": max(queries),
    }


try:
    started = time.perf_counter()
    articles = build(args.articles)
    print(f"{connection.vendor}: built {args.articles} articles in {time.perf_counter() - started:.1f}s")
    client = Client()
    pages = {
        "front page": "/",
        "article": articles[5].get_absolute_url(),
        "section (page 3)": articles[0].section.get_absolute_url() + "?page=3",
        "source": Source.objects.first().get_absolute_url(),
    }
    for name, url in pages.items():
        client.get(url)
        figures = measure(client, url, args.requests)
        print(f"{name:18} " + "  ".join(f"{key} {value:8.1f}" for key, value in figures.items()))
finally:
    connection.creation.destroy_test_db(old_name, verbosity=0)
