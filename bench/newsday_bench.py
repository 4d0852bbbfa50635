"""A newsroom's busy hour on loopback: the page cache under readers, an editor and commenters at once.

Builds a scratch PostgreSQL database (<DATABASE_URL's name>_bench) with --articles live articles in six
sections, tagged with minerals and countries, and starts gunicorn (two sync workers, production
settings, Redis). wrk then reads with --connections connections a Zipf mix: 80% article pages
(exponent 1.2, so the top story takes about a fifth of all reads) and 20% listings (the front page,
section pages, mineral and country pages). The same mix runs twice, --seconds each: once quiet, and
once while an editor publishes a new story or corrects one (headline or body, by turns) every
--edit-every seconds and a reader's comment goes live every --comment-every seconds, on articles
drawn from the same Zipf mix (both through the write paths, so invalidation is the real one). Then a
static file and the cached top story alone, for the ratios.

Prints, beside the quiet run: the hit rate (responses served from the cache among pages the cache may
share), renders per invalidated page (misses divided by runs of misses: a run is a path's misses
between two hits, so 1.0 means every invalidated page was rendered once), readers' p99 and its ratio
to the quiet p99, and requests per second as a ratio to the static file; and the cached article
against the static file. Writes the table to bench/results/<date>-newsday.md.

Usage: python bench/newsday_bench.py [--seconds N] [--articles N] [--connections N]
Needs PostgreSQL (DATABASE_URL), Redis (REDIS_URL; only keys under the bench's prefix are touched)
and wrk.
"""

import argparse
import datetime
import os
import pathlib
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--seconds", type=int, default=30, help="length of each timed run")
parser.add_argument("--articles", type=int, default=2000)
parser.add_argument("--connections", type=int, default=64)
parser.add_argument("--edit-every", type=float, default=10.0)
parser.add_argument("--comment-every", type=float, default=2.0)
parser.add_argument("--port", type=int, default=8111)
args, _ = parser.parse_known_args()

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
if not os.environ["DATABASE_URL"].startswith("postgres"):
    sys.exit("newsday_bench needs PostgreSQL: set DATABASE_URL=postgres://...")
SERVER_ENV = {
    "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; everything else as in production
    "SITE_URL": "http://127.0.0.1",
    "CACHE_KEY_PREFIX": "newsroom-newsday-bench",
    "NEWSROOM_PAGE_CACHE": "1",
    # One machine plays every reader: a limit per address would measure the limit, not the cache.
    "NEWSROOM_PAGE_CACHE_MISSES_PER_MINUTE": "1000000",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

ZIPF_EXPONENT = 1.2
ARTICLE_SHARE = 0.8

# wrk's script: paths drawn from cumulative weights; each thread counts hits and misses, and runs of
# misses per path (a run ends at a hit), which done() adds up over threads.
WRK_SCRIPT = """
local paths = {%(paths)s}
local weights = {%(weights)s}
hits, misses, runs = 0, 0, 0
local state = {}
local current = nil
function pick()
  local r, lo, hi = math.random(), 1, #weights
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if weights[mid] < r then lo = mid + 1 else hi = mid end
  end
  return paths[lo]
end
function request()
  current = pick()
  return wrk.format("GET", current)
end
function response(status, headers, body)
  local seen = headers["X-Page-Cache"]
  if seen == "hit" then
    hits = hits + 1
    state[current] = "hit"
  elseif seen == "miss" then
    misses = misses + 1
    if state[current] ~= "miss" then runs = runs + 1 end
    state[current] = "miss"
  end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local h, m, r = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits"); m = m + thread:get("misses"); r = r + thread:get("runs")
  end
  io.write(string.format("CACHE hits=%%d misses=%%d runs=%%d\\n", h, m, r))
end
"""


def build(n_articles):
    from articles.models import Article, Author, Country, Mineral, Section

    sections = [
        Section.objects.create(name=f"Section {i}", slug=f"section-{i}", position=i) for i in range(6)
    ]
    authors = [Author.objects.create(name=f"Author {i}", slug=f"author-{i}") for i in range(20)]
    minerals = [Mineral.objects.create(name=f"Mineral {i}", slug=f"mineral-{i}") for i in range(15)]
    countries = [Country.objects.create(name=f"Country {i}", slug=f"country-{i}") for i in range(25)]
    now = timezone.now()
    paragraph = "<p>" + "Refiners weigh new export rules as supply chains shift abroad. " * 12 + "</p>"
    articles = Article.objects.bulk_create(
        Article(
            title=f"Story {i}: refiners weigh new export rules",
            slug=f"story-{i}",
            dek="A standfirst of one sentence that says what changed and why it matters.",
            body=paragraph * 5,
            section=sections[i % 6],
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(minutes=7 * i + 1),
        )
        for i in range(n_articles)
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article=a, author=authors[a.pk % 20]) for a in articles
    )
    Article.minerals.through.objects.bulk_create(
        Article.minerals.through(content_object=a, tag=minerals[(a.pk + k) % 15])
        for a in articles
        for k in range(2)
    )
    Article.countries.through.objects.bulk_create(
        Article.countries.through(content_object=a, tag=countries[a.pk % 25]) for a in articles
    )
    return articles, sections, minerals, countries


def reading_mix(articles, sections, minerals, countries):
    """(paths, cumulative weights): articles by Zipf rank, then the listings."""
    article_weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(articles))]
    total = sum(article_weights)
    weighted = [
        (a.get_absolute_url(), ARTICLE_SHARE * w / total)
        for a, w in zip(articles, article_weights, strict=True)
    ]
    listings = (
        ["/"] * 10
        + [s.get_absolute_url() for s in sections]
        + [subject.get_absolute_url() for subject in (*minerals[:5], *countries[:5])]
    )
    weighted += [(path, (1 - ARTICLE_SHARE) / len(listings)) for path in listings]
    paths, cumulative, running = [], [], 0.0
    for path, weight in weighted:
        running += weight
        paths.append(path)
        cumulative.append(running)
    cumulative[-1] = 1.0
    return paths, cumulative


def zipf_choice(chooser, articles):
    weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(articles))]
    return chooser.choices(articles, weights=weights)[0]


class Newsroom(threading.Thread):
    """The editor and the commenters, through the write paths, while readers read."""

    def __init__(self, articles, sections, minerals):
        super().__init__(daemon=True)
        self.articles, self.sections, self.minerals = articles, sections, minerals
        self.stopping = threading.Event()
        self.edits = self.comments = 0

    def run(self):
        from articles.models import Article
        from articles.services import article_save
        from comments.models import Comment

        chooser = random.Random(7)
        next_edit = time.monotonic() + args.edit_every / 2
        next_comment = time.monotonic() + args.comment_every / 2
        try:
            while not self.stopping.is_set():
                now = time.monotonic()
                if now >= next_edit:
                    kind = self.edits % 3
                    if kind == 0:  # breaking: a new story
                        story = Article(
                            title=f"Breaking {self.edits}: export licences suspended",
                            slug=f"breaking-{self.edits}",
                            dek="What changed.",
                            body="<p>First lines of a developing story.</p>",
                            section=chooser.choice(self.sections),
                            status=Article.Status.PUBLISHED,
                            publish_at=timezone.now(),
                        )
                        article_save(
                            article=story, save_related=lambda s=story: s.minerals.set(self.minerals[:2])
                        )
                    else:
                        story = Article.objects.get(pk=zipf_choice(chooser, self.articles).pk)
                        if kind == 1:  # a corrected headline
                            story.title = f"{story.title.split(' (')[0]} (corrected {self.edits})"
                        else:  # a corrected paragraph
                            story.body = (
                                story.body + f"<p>Correction {self.edits}: a figure was misstated.</p>"
                            )
                        article_save(article=story)
                    self.edits += 1
                    next_edit += args.edit_every
                if now >= next_comment:
                    story = zipf_choice(chooser, self.articles)
                    Comment.objects.create(
                        article_id=story.pk,
                        author_name=f"Reader {self.comments}",
                        author_email=f"reader{self.comments}@bench.example",
                        body_text=f"Comment {self.comments}: a point about refining capacity.",
                        status=Comment.Status.APPROVED,
                    )
                    self.comments += 1
                    next_comment += args.comment_every
                self.stopping.wait(0.05)
        finally:
            connection.close()


def start_server(port, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", "2", "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"gunicorn on port {port} did not start")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url, seconds, connections, script=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-s", script] if script else []
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = next(
        float(value) * _UNITS[unit]
        for value, unit in re.findall(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    counted = re.search(r"CACHE hits=(\d+) misses=(\d+) runs=(\d+)", out)
    hits, misses, runs = (int(n) for n in counted.groups()) if counted else (0, 0, 0)
    return {
        "rps": rps,
        "p99": p99,
        "errors": int(errors.group(1)) if errors else 0,
        "hits": hits,
        "misses": misses,
        "runs": runs,
    }


def static_file():
    root = pathlib.Path(settings.STATIC_ROOT)
    candidates = [p for p in root.rglob("*.css") if not p.name.endswith((".gz", ".br"))]
    best = min(candidates, key=lambda p: abs(p.stat().st_size - 28 * 1024))
    return "/static/" + best.relative_to(root).as_posix(), best.stat().st_size


def clear_bench_cache():
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
        client.delete(key)


def main():
    connection.settings_dict.setdefault("TEST", {})["NAME"] = connection.settings_dict["NAME"] + "_newsday"
    old_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )
    server = None
    try:
        started = time.perf_counter()
        articles, sections, minerals, countries = build(args.articles)
        print(f"built {args.articles} articles in {time.perf_counter() - started:.1f}s", flush=True)
        call_command("collectstatic", "--noinput", verbosity=0)
        clear_bench_cache()
        paths, weights = reading_mix(articles, sections, minerals, countries)
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(
            WRK_SCRIPT
            % {"paths": ", ".join(f'"{p}"' for p in paths), "weights": ", ".join(f"{w:.9f}" for w in weights)}
        )
        script.close()
        server = start_server(args.port, database_url)
        base = f"http://127.0.0.1:{args.port}"
        static_path, static_size = static_file()
        run_wrk(base + "/", max(3, args.seconds // 3), args.connections, script.name)  # warm the hot pages
        quiet = run_wrk(base + "/", args.seconds, args.connections, script.name)
        newsroom = Newsroom(articles, sections, minerals)
        newsroom.start()
        busy = run_wrk(base + "/", args.seconds, args.connections, script.name)
        newsroom.stopping.set()
        newsroom.join()
        static = run_wrk(base + static_path, max(5, args.seconds // 3), args.connections)
        top = run_wrk(base + articles[0].get_absolute_url(), max(5, args.seconds // 3), args.connections)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    report(quiet, busy, static, top, newsroom, static_size)


def report(quiet, busy, static, top, newsroom, static_size):
    def hit_rate(run):
        served = run["hits"] + run["misses"]
        return run["hits"] / served if served else 0.0

    def renders_per_page(run):
        return run["misses"] / run["runs"] if run["runs"] else 0.0

    lines = [
        f"gunicorn (2 sync workers, production settings), PostgreSQL, Redis, wrk on loopback "
        f"({args.connections} connections, {args.seconds}s per run), {args.articles} articles, Zipf "
        f"{ZIPF_EXPONENT} over articles (80%) plus front, section and tag pages (20%); busy: "
        f"{newsroom.edits} edits (one every {args.edit_every:g}s: a new story, a corrected headline, a "
        f"corrected paragraph by turns) and {newsroom.comments} live comments (one every "
        f"{args.comment_every:g}s); {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
        "at the end.",
        "",
        "| run | requests/s | × static file | p99 ms | hit rate | renders per invalidated page | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, run in (("quiet (no edits)", quiet), ("busy (edits and comments)", busy)):
        lines.append(
            f"| {name} | {run['rps']:,.0f} | {run['rps'] / static['rps']:.2f} | {run['p99']:.1f} "
            f"| {hit_rate(run):.1%} | {renders_per_page(run):.2f} | {run['errors']} |"
        )
    lines += [
        f"| static file ({static_size / 1024:.0f} KB) | {static['rps']:,.0f} | 1.00 "
        f"| {static['p99']:.1f} | | | |",
        f"| top story alone, cached | {top['rps']:,.0f} | {top['rps'] / static['rps']:.2f} "
        f"| {top['p99']:.1f} | | | {top['errors']} |",
        "",
        f"Busy against quiet: p99 {busy['p99'] / quiet['p99']:.2f}× (target ≤ 2), requests/s "
        f"{busy['rps'] / quiet['rps']:.2f}×; busy hit rate {hit_rate(busy):.1%} (target ≥ 95%), renders per "
        f"invalidated page {renders_per_page(busy):.2f} (target ≤ 1.2), busy × static file "
        f"{busy['rps'] / static['rps']:.2f} (target ≥ 0.5), cached article × static file "
        f"{top['rps'] / static['rps']:.2f} (target ≥ 0.6).",
    ]
    table = "\n".join(lines)
    print("\n" + table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    path = results / f"{datetime.date.today().isoformat()}-newsday.md"
    path.write_text(f"# Newsday benchmark, {datetime.date.today().isoformat()}\n\n" + table + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
