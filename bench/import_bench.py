"""
Moving in from WordPress at archive scale: a generated export of 10,000 posts and 100,000 comments
imported with `manage.py import_wordpress`, then imported again, on SQLite and on PostgreSQL.

    python bench/import_bench.py                      # 10,000 posts; SQLite, and PostgreSQL when
                                                      # DATABASE_URL points at it
    python bench/import_bench.py --posts 500 --databases sqlite

Prints, per database, the first import's time, the process's peak memory (resident set), the second
run's time and its ratio to the first, beside the targets (10 minutes, 500 MB, a fraction). The
export (classic and block-editor bodies with captions and shortcodes, categories, tags matching
minerals and countries or nothing, threaded comments in every state, old slugs) is written once
to bench/.cache/ and kept. Each database is fresh: a new SQLite file, or a scratch PostgreSQL
database created beside the configured one and dropped after; the configured databases are never
touched. Search indexing, revisions and page-cache invalidation run as for any save.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
DATA_VERSION = 1
TARGET_SECONDS = 600
TARGET_MB = 500
COMMENTS_PER_POST = 10

WORDS = (
    "market price output supply demand export ban quota licence refinery smelter mine project company "
    "government ministry agency report analysts traders tonnes production capacity plant deal investment "
    "policy stockpile reserves processing battery magnet vehicles shipments contract exploration ore tariff"
).split()
MINERALS = [
    ("Lithium", "Li", "white gold"),
    ("Cobalt", "Co", ""),
    ("Nickel", "Ni", ""),
    ("Gallium", "Ga", ""),
]
COUNTRIES = [("Chile", "CL"), ("Indonesia", "ID"), ("Australia", "AU")]
TAGS = ["lithium", "LI", "white gold", "Chile", "id", "Analysis", "Opinion", "Supply chains", "ga"]
CATEGORIES = ["News", "Markets", "Policy", "Analysis", "Interviews", "Data"]
STATES = ["1"] * 14 + ["0", "spam", "trash"]


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _nicename(name):
    return name.lower().replace(" ", "-")


def _sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."


def _body(rng, number):
    paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(rng.randint(4, 8))]
    if number % 2:  # block editor
        return "\n\n".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs)
    if number % 5 == 0:
        paragraphs.insert(
            1, '[caption id="attachment_1" width="600"]<img src="/x.jpg" alt="A pit"> A pit.[/caption]'
        )
    if number % 7 == 0:
        paragraphs.append('[gallery ids="1,2,3"]')
    return "\n\n".join(p.replace(". ", ".\n", 1) for p in paragraphs)


def write_export(path, posts, seed=11):
    """Write a WXR file of `posts` posts with COMMENTS_PER_POST comments each, one item at a time."""
    rng = random.Random(seed)
    start = datetime(2015, 1, 1)
    comment_id = 1
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel><title>Bench Desk</title><link>https://bench.example.com</link>"
            "<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bench.example.com</wp:base_site_url>"
            "<wp:base_blog_url>https://bench.example.com</wp:base_blog_url>\n"
        )
        for number in range(20):
            out.write(
                f"<wp:author><wp:author_login>{_cdata(f'writer{number}')}</wp:author_login>"
                f"<wp:author_display_name>{_cdata(f'Writer {number}')}</wp:author_display_name></wp:author>\n"
            )
        for post_id in range(1, posts + 1):
            moment = start + timedelta(hours=post_id * 7)
            status = "publish" if post_id % 50 else rng.choice(["draft", "pending", "future", "private"])
            if status == "future":
                moment = datetime(2099, 1, 1) + timedelta(hours=post_id)
            slug = f"post-{post_id}-{rng.choice(WORDS)}"
            date = moment.strftime("%Y-%m-%d %H:%M:%S")
            terms = "".join(
                f'<category domain="post_tag" nicename="{_nicename(tag)}">{_cdata(tag)}</category>'
                for tag in rng.sample(TAGS, 3)
            )
            category = rng.choice(CATEGORIES)
            terms += (
                f'<category domain="category" nicename="{category.lower()}">{_cdata(category)}</category>'
            )
            meta = ""
            if post_id % 10 == 0:
                old = _cdata(slug + "-old")
                meta = "<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key>"
                meta += f"<wp:meta_value>{old}</wp:meta_value></wp:postmeta>"
            comments = []
            first = comment_id
            for n in range(COMMENTS_PER_POST):
                parent = first + n - 1 if n % 3 == 2 else 0
                comments.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{_cdata(f'Reader {comment_id % 997}')}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id % 997}@example.net</wp:comment_author_email>"
                    f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{_cdata(f'Comment {comment_id}: {_sentence(rng)}')}"
                    "</wp:comment_content>"
                    f"<wp:comment_approved>{rng.choice(STATES)}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                    "<wp:commentmeta><wp:meta_key>wpdiscuz_votes</wp:meta_key>"
                    f"<wp:meta_value>{rng.randint(0, 5)}</wp:meta_value></wp:commentmeta></wp:comment>"
                )
                comment_id += 1
            out.write(
                f"<item><title>{_cdata(f'Post {post_id}: ' + _sentence(rng)[:80])}</title>"
                f"<link>https://bench.example.com/{moment:%Y/%m/%d}/{slug}/</link>"
                f"<dc:creator>{_cdata(f'writer{post_id % 20}')}</dc:creator>"
                f"<content:encoded>{_cdata(_body(rng, post_id))}</content:encoded>"
                f"<excerpt:encoded>{_cdata(_sentence(rng) if post_id % 3 else '')}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>"
                f"<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
                f"<wp:post_type>post</wp:post_type>{terms}{meta}{''.join(comments)}</item>\n"
            )
        out.write("</channel></rss>\n")


def child(args):
    """Import the export twice into the (fresh) database DATABASE_URL names; print figures as JSON."""
    warnings.filterwarnings("ignore", "No directory at")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "newsroom-benchmark-only")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("SITE_URL", "https://news.example.org")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="import-bench-media-")
    call_command("migrate", verbosity=0)
    from articles.models import Article, Country, Mineral
    from comments.models import Comment

    for name, symbol, aliases in MINERALS:
        Mineral.objects.create(name=name, symbol=symbol, aliases=aliases)
    for name, code in COUNTRIES:
        Country.objects.create(name=name, iso_code=code)
    devnull = open(os.devnull, "w")  # noqa: SIM115  (the reports are long; the figures are what matter)
    started, cpu_started = time.perf_counter(), time.process_time()
    call_command("import_wordpress", args.export, stdout=devnull)
    first = time.perf_counter() - started
    first_cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = {"articles": Article.objects.count(), "comments": Comment.objects.count()}
    started = time.perf_counter()
    call_command("import_wordpress", args.export, stdout=devnull)
    second = time.perf_counter() - started
    unchanged = counts == {"articles": Article.objects.count(), "comments": Comment.objects.count()}
    print(
        json.dumps(
            {
                "first": first,
                "first_cpu": first_cpu,
                "second": second,
                "peak_mb": peak_mb,
                "unchanged": unchanged,
                **counts,
            }
        )
    )


def _run_child(args, url):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": ""}
    command = [sys.executable, __file__, "--child", "--export", str(args.export)]
    result = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if result.returncode:
        sys.exit("import bench: the import failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _postgres(url, statement):
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(statement)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the export (default 10,000)")
    parser.add_argument(
        "--databases",
        default=None,
        help="sqlite,postgresql (default: SQLite, and PostgreSQL "
        "when DATABASE_URL or BENCH_POSTGRES_URL points at it)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--export", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()  # bench/run.py passes every bench the same arguments
    if args.child:
        return child(args)
    CACHE.mkdir(exist_ok=True)
    args.export = CACHE / f"import-{args.posts}-v{DATA_VERSION}.xml"
    if not args.export.exists():
        print(
            f"Writing an export of {args.posts:,} posts to {args.export} (kept for later runs)…",
            file=sys.stderr,
        )
        write_export(args.export, args.posts)
    size_mb = args.export.stat().st_size / 1024 / 1024
    postgres_url = os.environ.get("BENCH_POSTGRES_URL") or (
        os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else ""
    )
    wanted = (args.databases or ("sqlite,postgresql" if postgres_url else "sqlite")).split(",")
    results = {}
    if "sqlite" in wanted:
        with tempfile.TemporaryDirectory() as folder:
            results["sqlite"] = _run_child(args, f"sqlite:///{folder}/import-bench.sqlite3")
    if "postgresql" in wanted:
        if not postgres_url:
            sys.exit("import bench: set DATABASE_URL or BENCH_POSTGRES_URL to a PostgreSQL database")
        parts = urlsplit(postgres_url)
        scratch = f"{parts.path.lstrip('/') or 'newsroom'}_import_bench"
        _postgres(postgres_url, f"DROP DATABASE IF EXISTS {scratch}")
        _postgres(postgres_url, f"CREATE DATABASE {scratch}")
        try:
            results["postgresql"] = _run_child(args, urlunsplit(parts._replace(path=f"/{scratch}")))
        finally:
            _postgres(postgres_url, f"DROP DATABASE IF EXISTS {scratch}")
    print(f"Export: {args.posts:,} posts, {args.posts * COMMENTS_PER_POST:,} comments, {size_mb:,.0f} MB")
    print(
        f"{'database':<12}{'first run':>12}{'(its CPU)':>11}{'peak RSS':>12}{'second run':>12}{'ratio':>8}"
        "  articles / comments"
    )
    for name, r in results.items():
        print(
            f"{name:<12}{r['first']:>11.1f}s{r['first_cpu']:>10.1f}s{r['peak_mb']:>10.0f}MB{r['second']:>11.1f}s"
            f"{r['second'] / r['first']:>8.2f}  {r['articles']:,} / {r['comments']:,}"
            + ("" if r["unchanged"] else "  (the second run changed the counts!)")
        )
    print(
        f"Targets: first run ≤ {TARGET_SECONDS // 60} minutes, peak ≤ {TARGET_MB} MB, second run a fraction."
    )
    print(
        "CPU is the importing process's own (the database server's is not in it); load average "
        f"{os.getloadavg()[0]:.1f} at the end: other work on the machine stretches the wall-clock times."
    )
    failed = [
        name
        for name, r in results.items()
        if r["first"] > TARGET_SECONDS
        or r["peak_mb"] > TARGET_MB
        or not r["unchanged"]
        or r["second"] >= r["first"]
    ]
    if failed and args.posts >= 10_000:
        sys.exit(f"import bench: over target on {', '.join(failed)}")


if __name__ == "__main__":
    main()
