"""The tracker at scale: 2,000 measures, 20,000 events, 60 minerals and 120 countries.

Builds a scratch SQLite database (or uses DATABASE_URL's server, in a test database) and prints,
uncached through Django's full request stack: p50/p99 of /tracker/ with filters and `on` dates, of
measure pages and of mineral pages (with their timeline strip), with queries per request; and the
full measures.csv stream's time and peak memory next to a third of it, whose ratio shows memory
stays flat as rows grow. Usage: python bench/tracker_bench.py [--measures N] [--requests N]
"""

import argparse
import gc
import os
import pathlib
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--measures", type=int, default=2000)
parser.add_argument("--events-per-measure", type=int, default=10)
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
os.environ["NEWSROOM_PAGE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
settings.NEWSROOM_PAGE_CACHE = False
settings.NEWSROOM_FRAGMENT_CACHE = False
setup_test_environment()
connection.creation.create_test_db(verbosity=0, autoclobber=True)

from articles.models import Article, Country, Mineral, Section, TaggedMineral  # noqa: E402
from tracker import status as status_rule  # noqa: E402
from tracker.models import Measure, MeasureEvent, MeasurePeriod  # noqa: E402

KINDS = list(Measure.Kind.values)
DIRECTIONS = list(Measure.Direction.values)
LATER = ["amended", "expanded", "narrowed", "suspended", "extended", "reinstated", "lifted"]


def build(n_measures, per_measure):
    rng = random.Random(7)
    minerals = Mineral.objects.bulk_create(
        Mineral(name=f"Mineral {i}", slug=f"mineral-{i}") for i in range(60)
    )
    countries = Country.objects.bulk_create(
        Country(name=f"Country {i}", slug=f"country-{i}") for i in range(120)
    )
    section = Section.objects.create(name="Policy", slug="policy")
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Story {i}",
            slug=f"story-{i}",
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(days=i),
            content_updated_at=now - timedelta(days=i),
        )
        for i in range(300)
    )
    TaggedMineral.objects.bulk_create(
        TaggedMineral(content_object=article, tag=minerals[i % 60]) for i, article in enumerate(articles)
    )
    measures = Measure.objects.bulk_create(
        Measure(
            title=f"Measure {i} on {minerals[i % 60].name}",
            slug=f"measure-{i}",
            kind=rng.choice(KINDS),
            direction=rng.choice(DIRECTIONS),
            implementing_country=countries[i % 120],
            instrument=f"Announcement No. {i} [{2015 + i % 12}]",
            status=Measure.Status.PUBLISHED,
        )
        for i in range(n_measures)
    )
    Measure.minerals.through.objects.bulk_create(
        Measure.minerals.through(measure=measure, mineral=minerals[(i + k) % 60])
        for i, measure in enumerate(measures)
        for k in range(2)
    )
    Measure.affected_countries.through.objects.bulk_create(
        Measure.affected_countries.through(measure=measure, country=countries[(i * 7) % 120])
        for i, measure in enumerate(measures)
    )
    events = []
    for measure in measures:
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        kinds = ["announced", "in_force", *(rng.choice(LATER) for _ in range(per_measure - 2))]
        for kind in kinds:
            until = (
                day + timedelta(days=rng.randrange(60, 400)) if kind in ("suspended", "extended") else None
            )
            events.append(
                MeasureEvent(
                    measure=measure, kind=kind, date=day, until=until, status=MeasureEvent.Status.PUBLISHED
                )
            )
            day += timedelta(days=rng.randrange(20, 200))
    events = MeasureEvent.objects.bulk_create(events, batch_size=2000)
    MeasureEvent.articles.through.objects.bulk_create(
        (
            MeasureEvent.articles.through(measureevent=event, article=articles[i % 300])
            for i, event in enumerate(events[::5])
        ),
        batch_size=2000,
    )
    by_measure = {}
    for event in MeasureEvent.objects.only("pk", "measure_id", "kind", "date", "date_precision", "until"):
        by_measure.setdefault(event.measure_id, []).append(event)
    MeasurePeriod.objects.bulk_create(
        (
            MeasurePeriod(measure_id=measure_id, **vars(period))
            for measure_id, measure_events in by_measure.items()
            for period in status_rule.timeline(measure_events)
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a load this size
    return [m.slug for m in minerals], [c.slug for c in countries], [m.slug for m in measures]


def timed(client, urls):
    times, queries = [], []
    for url in urls:
        reset_queries()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(connection.queries))
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times), p99, max(queries)


def stream_csv(client, query):
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get("/tracker/measures.csv" + query)
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, size


def main():
    started = time.perf_counter()
    minerals, countries, measures = build(args.measures, args.events_per_measure)
    # A server holds none of the rows built above: drop them, and leave what is loaded by now out of the
    # collector's full passes, as core.apps does at start-up.
    gc.collect()
    gc.freeze()
    counts = [Model.objects.count() for Model in (Measure, MeasureEvent, MeasurePeriod)]
    print(
        f"{connection.vendor}: {counts[0]:,} measures, {counts[1]:,} events, {counts[2]:,} periods, "
        f"{len(minerals)} minerals, {len(countries)} countries "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    settings.DEBUG = True  # counts queries
    client = Client()
    rng = random.Random(11)
    filters = [
        "",
        "mineral={m}",
        "country={c}",
        "kind=export_ban",
        "direction=restrictive",
        "status=in_force",
        "status=suspended",
        "q=Announcement+1",
    ]
    list_urls = []
    for _ in range(args.requests):
        query = rng.choice(filters).format(m=rng.choice(minerals), c=rng.choice(countries))
        on = date(2015, 1, 1) + timedelta(days=rng.randrange(4500))
        list_urls.append(
            f"/tracker/?{query}&on={on.isoformat()}" if query else f"/tracker/?on={on.isoformat()}"
        )
    pages = {
        "/tracker/ (filters, on)": list_urls,
        "measure page": [f"/tracker/{rng.choice(measures)}/" for _ in range(args.requests)],
        "mineral page (strip)": [f"/minerals/{rng.choice(minerals)}/" for _ in range(args.requests)],
        # The same run's reference: a page with no tracker part, so figures read as ratios on a busy machine.
        "section page (reference)": [reverse("articles:section", kwargs={"slug": "policy"})] * args.requests,
    }
    for urls in pages.values():  # warm the process: templates, URL resolver, site settings
        client.get(urls[0])
    results = {name: timed(client, urls) for name, urls in pages.items()}
    reference = results["section page (reference)"][0]
    print(f"{'page':<26} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'p50 / reference':>16}")
    for name, (p50, p99, queries) in results.items():
        print(f"{name:<26} {p50:>8.1f} {p99:>8.1f} {queries:>8} {p50 / reference:>16.2f}")
    settings.DEBUG = False
    reset_queries()
    small_time, small_peak, small_size = stream_csv(client, "?direction=restrictive")
    full_time, full_peak, full_size = stream_csv(client, "")
    print(
        f"measures.csv, all rows: {full_time:.2f} s, {full_size / 1e6:.2f} MB, "
        f"peak {full_peak / 1e6:.2f} MB traced"
    )
    print(
        f"measures.csv, restrictive only ({small_size / full_size:.0%} of the bytes): {small_time:.2f} s, "
        f"peak {small_peak / 1e6:.2f} MB; peak ratio {full_peak / max(small_peak, 1):.2f} "
        f"for {full_size / max(small_size, 1):.0f}x the bytes"
    )


main()
