"""The reading site under load: gunicorn, production settings, PostgreSQL and Redis, driven by wrk.

Builds a scratch PostgreSQL database (<DATABASE_URL's name>_bench) with --articles live articles
and one article with 30 approved comments, collects static files, and starts two gunicorns (two
sync workers each) on loopback: one with the page cache on, one with NEWSROOM_PAGE_CACHE=0. Then,
in interleaved rounds, wrk drives each of: the article with 30 comments from the cache and
uncached, the front page both ways, a static file of about 28 KB through WhiteNoise, and the
project's minimal health view (/healthz). Prints requests/s, p50 and p99 for each with its ratio
to the static file and to the health view, and writes the table to bench/results/<date>-load.md.

Usage: python bench/load_bench.py [--articles N] [--rounds N] [--seconds N] [--connections N]
Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/newsroom) and Redis
(REDIS_URL, default redis://127.0.0.1:6379/0; only keys under the bench's own prefix are touched),
and wrk (installed with apt-get when missing).
"""

import argparse
import datetime
import os
import pathlib
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--articles", type=int, default=240)
parser.add_argument("--comments", type=int, default=30)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--seconds", type=int, default=8)
parser.add_argument("--connections", type=int, default=8)
parser.add_argument("--ports", default="8101,8102", help="two loopback ports: cached server, uncached server")
args, _ = parser.parse_known_args()

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
if not os.environ["DATABASE_URL"].startswith("postgres"):
    sys.exit("load_bench needs PostgreSQL: set DATABASE_URL=postgres://...")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; everything else as in production
    "SITE_URL": "http://127.0.0.1",
    "CACHE_KEY_PREFIX": "newsroom-bench",
    "LOG_LEVEL": "WARNING",
}
os.environ.update({key: value for key, value in SERVER_ENV.items() if key != "DJANGO_SETTINGS_MODULE"})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

STATIC_TARGET_BYTES = 28 * 1024


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing; installing it with apt-get", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)


def build(n_articles, n_comments):
    from articles.models import Article, Author, Citation, Country, Mineral, Section, Source
    from comments.models import Comment

    sections = [
        Section.objects.create(name=f"Section {i}", slug=f"section-{i}", position=i) for i in range(6)
    ]
    authors = [
        Author.objects.create(name=f"Author {i}", slug=f"author-{i}", bio="Covers supply chains.")
        for i in range(20)
    ]
    minerals = [
        Mineral.objects.create(name=f"Mineral {i}", slug=f"mineral-{i}", symbol=f"M{i}") for i in range(15)
    ]
    countries = [Country.objects.create(name=f"Country {i}", slug=f"country-{i}") for i in range(25)]
    sources = [
        Source.objects.create(
            name=f"Source {i}", slug=f"source-{i}", country=countries[i % 25], owner=f"Owner {i}"
        )
        for i in range(40)
    ]
    now = timezone.now()
    paragraph = (
        "<p>"
        + "Rare earth supply chains shift as export rules tighten and refiners look abroad. " * 12
        + "</p>"
    )
    articles = Article.objects.bulk_create(
        Article(
            title=f"Article {i}: refiners weigh new export rules",
            slug=f"article-{i}",
            dek="A standfirst of one sentence that says what changed and why it matters.",
            highlights="First key point\nSecond key point\nThird key point",
            body=paragraph * 6,
            section=sections[i % 6],
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(minutes=10 * i + 1),
            is_featured=(i == 3),
        )
        for i in range(n_articles)
    )
    Citation.objects.bulk_create(
        Citation(
            article=a, source=sources[(a.pk + k) % 40], position=k, url=f"https://example.org/{a.pk}/{k}"
        )
        for a in articles
        for k in range(3)
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article=a, author=authors[(a.pk + k) % 20])
        for a in articles
        for k in range(2)
    )
    for a in articles:
        a.minerals.set(minerals[a.pk % 13 : a.pk % 13 + 3])
        a.countries.set(countries[a.pk % 23 : a.pk % 23 + 2])
    discussed = articles[1]
    parents = [None]
    for n in range(n_comments):
        comment = Comment.objects.create(
            article=discussed,
            parent=parents[n % len(parents)],
            author_name=f"Commenter {n % 9}",
            author_email=f"commenter{n % 9}@example.org",
            body_text=f"Comment {n}: a considered point about refining capacity.",
            status=Comment.Status.APPROVED,
            like_count=n % 4,
        )
        parents.append(comment)
    return discussed


def static_file():
    """The collected static file closest to 28 KB (uncompressed, as wrk asks for it)."""
    root = pathlib.Path(settings.STATIC_ROOT)
    candidates = [
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix in {".css", ".js"} and not p.name.endswith((".gz", ".br"))
    ]
    best = min(candidates, key=lambda p: abs(p.stat().st_size - STATIC_TARGET_BYTES))
    return "/static/" + best.relative_to(root).as_posix(), best.stat().st_size


def start_server(port, page_cache, database_url):
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url, "NEWSROOM_PAGE_CACHE": page_cache}
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


def stop_server(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url, seconds, connections):
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    if "Non-2xx or 3xx responses" in out:
        sys.exit(f"{url} answered errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {
        percentile: float(value) * _UNITS[unit]
        for percentile, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    return rps, latency["50"], latency["99"]


def bench_database():
    """A scratch database beside DATABASE_URL's, created afresh and dropped afterwards."""
    connection.settings_dict.setdefault("TEST", {})["NAME"] = connection.settings_dict["NAME"] + "_bench"
    old_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    return old_name, url


def clear_bench_cache():
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
        client.delete(key)


def main():
    ensure_wrk()
    old_name, database_url = bench_database()
    servers = []
    try:
        started = time.perf_counter()
        discussed = build(args.articles, args.comments)
        print(
            f"built {args.articles} articles, one with {args.comments} comments, "
            f"in {time.perf_counter() - started:.1f}s",
            flush=True,
        )
        call_command("collectstatic", "--noinput", verbosity=0)
        clear_bench_cache()
        static_path, static_size = static_file()
        cached_port, uncached_port = (int(port) for port in args.ports.split(","))
        servers = [
            start_server(cached_port, "1", database_url),
            start_server(uncached_port, "0", database_url),
        ]
        cached, uncached = f"http://127.0.0.1:{cached_port}", f"http://127.0.0.1:{uncached_port}"
        article = discussed.get_absolute_url()
        targets = {
            "article, cached": cached + article,
            f"article ({args.comments} comments), uncached": uncached + article,
            "front page, cached": cached + "/",
            "front page, uncached": uncached + "/",
            f"static file ({static_size / 1024:.0f} KB, WhiteNoise)": cached + static_path,
            "health view": uncached + "/healthz",
        }
        for url in targets.values():  # warm: fill the page cache and every worker's connections
            for _ in range(6):
                urllib.request.urlopen(url, timeout=10).read()
        figures = {name: [] for name in targets}
        for round_number in range(1, args.rounds + 1):
            for name, url in targets.items():
                figures[name].append(run_wrk(url, args.seconds, args.connections))
            print(f"round {round_number} of {args.rounds} done", flush=True)
    finally:
        for server in servers:
            stop_server(server)
        connection.creation.destroy_test_db(old_name, verbosity=0)
    report(figures, targets)


def report(figures, targets):
    summary = {
        name: (
            statistics.median(r for r, _, _ in runs),
            statistics.median(p for _, p, _ in runs),
            statistics.median(p for _, _, p in runs),
        )
        for name, runs in figures.items()
    }
    static_name = next(name for name in summary if name.startswith("static file"))
    static_rps, health_rps = summary[static_name][0], summary["health view"][0]
    lines = [
        f"gunicorn (2 sync workers, production settings), "
        f"PostgreSQL, Redis, wrk on loopback ({args.connections} connections, {args.seconds}s per run, "
        f"{args.rounds} interleaved rounds, medians), {args.articles} articles, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end (other work on the machine skews every figure).",
        "",
        "| page | requests/s | p50 ms | p99 ms | × static file | × health view |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, (rps, p50, p99) in summary.items():
        lines.append(
            f"| {name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} "
            f"| {rps / static_rps:.2f} | {rps / health_rps:.2f} |"
        )
    article_cached = summary["article, cached"][0] / static_rps
    article_uncached = (
        next(rps for name, (rps, _, _) in summary.items() if name.startswith("article (")) / health_rps
    )
    front_uncached = summary["front page, uncached"][0] / health_rps
    lines += [
        "",
        "Targets: cached article ≥ 0.6× static file "
        f"({article_cached:.2f}: {'met' if article_cached >= 0.6 else 'missed'}); "
        f"uncached article ≥ 0.15× health view "
        f"({article_uncached:.2f}: {'met' if article_uncached >= 0.15 else 'missed'}); "
        f"uncached front page ≥ 0.2× health view "
        f"({front_uncached:.2f}: {'met' if front_uncached >= 0.2 else 'missed'}).",
    ]
    table = "\n".join(lines)
    print("\n" + table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    path = results / f"{datetime.date.today().isoformat()}-load.md"
    path.write_text(f"# Load benchmark, {datetime.date.today().isoformat()}\n\n" + table + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
