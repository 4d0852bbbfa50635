"""Readership under load: the beacon against /healthz on one gunicorn, the flush of a day's beacons, and
the editors' readership page over a large history, on PostgreSQL and Redis.

1. Beacon: one gunicorn (two sync workers, production settings) on loopback; wrk posts beacons (each from
   its own made-up address, through TRUSTED_PROXY_COUNT=1, so every one is hashed, rate-limited and
   counted) and, in interleaved rounds, asks for /healthz. Prints requests/s, p50, p99 and the ratio
   (target: beacon ≥ 0.5 × health).
2. Flush: --beacons reads (1,000,000 at scale 1) spread over 500 articles, 24 hours and 6 referring sites
   recorded in Redis, then flushed by the worker's job; and the same number as pending rows in the
   database, flushed batch by batch. Prints the time and the peak memory the flush allocated
   (tracemalloc), and the peak per thousand beacons.
3. Page: 100,000 articles at scale 1 × --days days (90) of rollups (every article read every day: the
   worst case). For today, 7 and 30 days: the time to make the figures (the worker's job, which keeps
   them), and the readership page as an editor gets it with kept figures (median of 5; target ≤ 200 ms).

Usage: python bench/readership_bench.py [--scale 0.01] [--part beacon,flush,page] [--seconds N] [--rounds N]
Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/newsroom; a scratch database
beside it is made and dropped), Redis (REDIS_URL, default redis://127.0.0.1:6379/0; only keys under the
bench's own prefix are touched), and wrk. Writes the figures to bench/results/<date>-readership.md.
"""

import argparse
import datetime
import os
import pathlib
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument(
    "--scale", type=float, default=1.0, help="1: a million beacons, 100,000 articles × 90 days"
)
parser.add_argument("--part", default="beacon,flush,page")
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--seconds", type=int, default=8)
parser.add_argument("--connections", type=int, default=8)
parser.add_argument("--days", type=int, default=90)
parser.add_argument("--port", type=int, default=8103)
args, _ = parser.parse_known_args()
PARTS = set(args.part.split(","))
BEACONS = max(1000, int(1_000_000 * args.scale))
ARTICLES = max(100, int(100_000 * args.scale))

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
if not os.environ["DATABASE_URL"].startswith("postgres"):
    sys.exit("readership_bench needs PostgreSQL: set DATABASE_URL=postgres://...")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "SITE_URL": "http://127.0.0.1",
    "CACHE_KEY_PREFIX": "newsroom-bench",
    "LOG_LEVEL": "WARNING",
    "TRUSTED_PROXY_COUNT": "1",
    # Every beacon comes from its own address here; the limit is still counted for each.
    "READERSHIP_BEACON_RATE": "1000000",
    "STAFF_TWO_FACTOR": "optional",  # the bench signs an editor in without an authenticator
}
os.environ.update({key: value for key, value in SERVER_ENV.items() if key != "DJANGO_SETTINGS_MODULE"})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.load_bench import (  # noqa: E402
    bench_database,
    clear_bench_cache,
    ensure_wrk,
    run_wrk,
    stop_server,
)

WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
request = function()
  local a, b, c = math.random(0, 255), math.random(0, 255), math.random(1, 254)
  wrk.headers["X-Forwarded-For"] = "10." .. a .. "." .. b .. "." .. c
  return wrk.format(nil, nil, nil, "article=%d&from=search.example")
end
"""


def make_articles(count):
    from articles.models import Article, Author, Section

    section = Section.objects.create(name="Markets", slug="markets")
    author = Author.objects.create(name="Desk", slug="desk")
    now = timezone.now()
    articles = Article.objects.bulk_create(
        (
            Article(
                title=f"Article {i}",
                slug=f"article-{i}",
                body="<p>Body.</p>",
                section=section,
                status=Article.Status.PUBLISHED,
                publish_at=now - datetime.timedelta(minutes=i + 1),
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    Article.authors.through.objects.bulk_create(
        (Article.authors.through(article=a, author=author) for a in articles), batch_size=5000
    )
    return articles


def start_server(port, database_url):
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "newsroom.wsgi",
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"gunicorn on port {port} did not start")


def bench_beacon(database_url, article_id):
    from readership.models import PendingRead

    server = start_server(args.port, database_url)
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.replace("%d", str(article_id)))
    try:
        figures = {"beacon (POST /beacon/)": [], "health view": []}
        for _ in range(args.rounds):
            figures["beacon (POST /beacon/)"].append(
                run_wrk_script(base + "/beacon/", script.name, args.seconds, args.connections)
            )
            figures["health view"].append(run_wrk(base + "/healthz", args.seconds, args.connections))
    finally:
        stop_server(server)
        os.unlink(script.name)
    from readership.stores import store

    counted = store().client.hlen(store().key("readership:live")) + PendingRead.objects.count()
    medians = {
        name: tuple(statistics.median(run[i] for run in runs) for i in range(3))
        for name, runs in figures.items()
    }
    ratio = medians["beacon (POST /beacon/)"][0] / medians["health view"][0]
    lines = ["| request | requests/s | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} |" for name, (rps, p50, p99) in medians.items()]
    lines.append(
        f"\nbeacon ÷ health: **{ratio:.2f}** (target ≥ 0.5); pending count fields after the runs: {counted}"
    )
    return lines


def run_wrk_script(url, script, seconds, connections):
    """run_wrk with a Lua script (the beacon is a POST with a body and headers)."""
    import re

    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in out:
        sys.exit(f"{url} answered errors under load:\n{out}")
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {
        p: float(v) * units[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    return rps, latency["50"], latency["99"]


def bench_flush(articles):
    from readership import readers, stores
    from readership.models import ArticleReads, PendingRead

    rng = random.Random(1)
    ids = [a.pk for a in articles[:500]]
    sites = ["", "search.example", "news-digest.example", "social.example", "forum.example", "mail.example"]
    day, now_hour = readers.day_and_hour()
    hours = [now_hour - datetime.timedelta(hours=h) for h in range(24)]
    redis_store = stores.store()
    started = time.perf_counter()
    pipe = redis_store.client.pipeline(transaction=False)
    for n in range(BEACONS):
        article_id, hour, site = rng.choice(ids), rng.choice(hours), rng.choice(sites)
        live = redis_store.key(stores.LIVE)
        pipe.hincrby(live, f"v|{day.isoformat()}|{hour.isoformat()}|{article_id}", 1)
        pipe.hincrby(live, f"r|{day.isoformat()}|{article_id}|{site}", 1)
        pipe.pfadd(redis_store.hll_key(article_id, day), f"{n % (BEACONS // 3):016x}")
        if n % 5000 == 4999:
            pipe.execute()
    pipe.execute()
    recorded = time.perf_counter() - started
    lines = [
        "| store | beacons | flush s | peak MB | peak kB per 1,000 beacons | views in rollups |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    tracemalloc.start()
    started = time.perf_counter()
    moved = redis_store.flush()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    total = sum(ArticleReads.objects.values_list("views", flat=True))
    lines.append(
        f"| Redis | {BEACONS:,} | {seconds:.2f} | {peak / 2**20:.1f} | "
        f"{peak / 1024 / (BEACONS / 1000):.2f} | {total:,} |"
    )
    assert moved == BEACONS == total, (moved, BEACONS, total)

    ArticleReads.objects.all().delete()
    PendingRead.objects.bulk_create(
        (
            PendingRead(
                article_id=rng.choice(ids), day=day, hour=rng.choice(hours), referrer=rng.choice(sites)
            )
            for _ in range(BEACONS)
        ),
        batch_size=10000,
    )
    database_store = stores.DatabaseStore()
    tracemalloc.start()
    started = time.perf_counter()
    flushes = 0
    while database_store.flush():
        flushes += 1
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    total = sum(ArticleReads.objects.values_list("views", flat=True))
    lines.append(
        f"| database ({flushes} flushes of ≤ {settings.READERSHIP_FLUSH_BATCH:,}) | {BEACONS:,} | "
        f"{seconds:.2f} | {peak / 2**20:.1f} | {peak / 1024 / (BEACONS / 1000):.2f} | {total:,} |"
    )
    assert total == BEACONS, (total, BEACONS)
    lines.append(
        f"\n(recording {BEACONS:,} beacons into Redis, pipelined from one process: {recorded:.1f} s)"
    )
    ArticleReads.objects.all().delete()
    return lines


def bench_page(articles):
    from django.contrib.auth.models import User
    from django.test import Client

    from readership.models import ArticleReads
    from readership.report import PERIODS, kept_report, readership_report, refresh_reports

    today = timezone.localdate()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO readership_articlereads (article_id, day, views, readers, referrers) "
            "SELECT a.id, %s::date - d, 1 + (a.id * 7 + d * 13) %% 500, 1 + (a.id * 7 + d * 13) %% 300, "
            "'{\"search.example\": 1}'::jsonb "
            "FROM articles_article a CROSS JOIN generate_series(0, %s) AS d",
            [today, args.days - 1],
        )
        cursor.execute("ANALYZE readership_articlereads")
    rows = ArticleReads.objects.count()
    built = time.perf_counter() - started
    editor = User.objects.create_superuser("bench-editor", "bench@example.org", "x")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(editor)
    lines = [
        f"{rows:,} rollup rows ({len(articles):,} articles × {args.days} days) written in {built:.0f} s",
        "",
        "| period | making the figures (worker) ms | page, kept figures, median ms | max ms | target ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    refresh_reports()
    for period in PERIODS:
        started = time.perf_counter()
        readership_report(period)
        making = (time.perf_counter() - started) * 1000
        kept_report(period)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get("/admin/readership/articlereads/", {"period": period})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        lines.append(
            f"| {period} | {making:,.0f} | {statistics.median(times):.0f} | {max(times):.0f} | 200 |"
        )
    return lines


def main():
    if "beacon" in PARTS:
        ensure_wrk()
    old_name, database_url = bench_database()
    report = [
        f"readership bench, scale {args.scale} ({BEACONS:,} beacons, "
        f"{ARTICLES:,} articles × {args.days} days), "
        f"PostgreSQL and Redis, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start "
        "(other work on the machine skews every figure)."
    ]
    try:
        clear_bench_cache()
        articles = make_articles(ARTICLES if "page" in PARTS else 500)
        connection.close()  # the server and the flush open their own connections to the scratch database
        if "beacon" in PARTS:
            report += ["", "### Beacon against /healthz, one gunicorn (2 sync workers)", ""]
            report += bench_beacon(database_url, articles[0].pk)
            clear_bench_cache()
        if "flush" in PARTS:
            report += ["", "### Flushing a day of beacons", ""]
            report += bench_flush(articles)
            clear_bench_cache()
        if "page" in PARTS:
            call_command("collectstatic", "--noinput", verbosity=0)  # the page is rendered as in production
            report += ["", "### The readership page's figures", ""]
            report += bench_page(articles)
    finally:
        clear_bench_cache()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    text = "\n".join(report)
    print(text)
    results = ROOT / "bench" / "results" / f"{datetime.date.today().isoformat()}-readership.md"
    results.write_text(text + "\n")


if __name__ == "__main__":
    main()
