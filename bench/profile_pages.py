"""Where an uncached render of the article page (30 comments) and the front page spends its time.

Builds the load benchmark's data set in the same scratch PostgreSQL database, renders each page
through Django's whole request stack with the page cache off (pieces kept by version stay on, as in
the benchmark's uncached server), and prints the time per request next to the health view's, then
a cProfile summary of each page. Usage: python bench/profile_pages.py [--requests N]
"""

import cProfile
import os
import pstats
import sys
import time

os.environ["NEWSROOM_PAGE_CACHE"] = "0"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import load_bench  # noqa: E402  (sets Django up against the benchmark's database and Redis)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REQUESTS = int(sys.argv[sys.argv.index("--requests") + 1]) if "--requests" in sys.argv else 40


def per_request_ms(client, path):
    for _ in range(5):
        client.get(path)
    started = time.perf_counter()
    for _ in range(REQUESTS):
        assert client.get(path).status_code == 200
    return (time.perf_counter() - started) / REQUESTS * 1000


def main():
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    old_name, _ = load_bench.bench_database()
    try:
        discussed = load_bench.build(load_bench.args.articles, load_bench.args.comments)
        load_bench.clear_bench_cache()
        client = Client(HTTP_HOST="127.0.0.1")
        pages = {
            "health view": "/healthz",
            "article, uncached": discussed.get_absolute_url(),
            "front page, uncached": "/",
        }
        timings = {name: per_request_ms(client, path) for name, path in pages.items()}
        for name, ms in timings.items():
            print(f"{name:22} {ms:7.2f} ms per request  ({timings['health view'] / ms:.3f}× health view)")
        for name in ("article, uncached", "front page, uncached"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(REQUESTS):
                client.get(pages[name])
            profile.disable()
            print(f"\n== {name}")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(
                r"(template/(base|loader_tags|defaulttags)|sql/compiler|comment_tags|page_cache|views/generic|forms/renderers|dateformat|handlers/base)",
                25,
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
