"""
Article search at scale: builds N articles in a scratch database, then times searches and
shows the query plan.

    python bench/search_bench.py                      # 100,000 articles on PostgreSQL, 5,000 on SQLite
    DATABASE_URL=postgres://... python bench/search_bench.py --articles 250000 --runs 7

The scratch database is Django's test database for the configured one (test_<name>),
created here and dropped at the end; the configured database is never touched.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "newsroom-benchmark-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("SITE_URL", "https://news.example.org")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Country, Mineral, Section, TaggedCountry, TaggedMineral  # noqa: E402
from articles.search import search_articles  # noqa: E402
from articles.search_index import is_supported, refresh_search_vectors  # noqa: E402

MINERALS = [
    ("Lithium", "Li", "white gold"), ("Cobalt", "Co", ""), ("Nickel", "Ni", ""), ("Graphite", "C", "natural graphite"),
    ("Neodymium", "Nd", "NdPr, didymium"), ("Dysprosium", "Dy", "heavy rare earth"), ("Gallium", "Ga", ""),
    ("Germanium", "Ge", ""), ("Antimony", "Sb", ""), ("Tungsten", "W", "wolfram"), ("Vanadium", "V", ""),
    ("Manganese", "Mn", ""), ("Copper", "Cu", ""), ("Tin", "Sn", "cassiterite"), ("Tantalum", "Ta", "coltan"),
]
COUNTRIES = ["China", "Chile", "Australia", "Indonesia", "Congo", "Brazil", "Canada", "Myanmar", "Kazakhstan", "Peru"]
COMMON = (
    "the a of and to in for on with by from at as is was has have that its their said will would could "
    "market price prices output supply demand export exports import imports ban quota licence licences "
    "refinery smelter mine mines mining project projects company companies government ministry state "
    "agency report reports analysts traders year month week quarter tonnes production capacity plant "
    "deal agreement investment funding policy rules control controls stockpile reserves processing "
    "battery batteries magnet magnets electric vehicles defence industry shipments port contract"
).split()
RARE = "ganzhou atacama sulawesi katanga pilbara baotou kachin xinjiang lobito morowali".split()
QUERIES = [
    ("one common word", {"text": "refinery"}),
    ("one rare word", {"text": "ganzhou"}),
    ("phrase", {"text": '"export ban"'}),
    ("OR", {"text": "atacama OR pilbara"}),
    ("exclusion", {"text": "smelter -battery"}),
    ("mineral symbol", {"text": "Nd"}),
    ("word + section filter", {"text": "quota", "section": "section"}),
    ("word + date range", {"text": "stockpile", "date_from": "recent"}),
]


def words(rng, count):
    out = rng.choices(COMMON, k=count)
    if rng.random() < 0.05:
        out[rng.randrange(count)] = rng.choice(RARE)
    return " ".join(out)


def build(total, seed=7):
    rng = random.Random(seed)
    sections = [Section.objects.create(name=f"Section {n}", slug=f"section-{n}") for n in range(6)]
    minerals = [
        Mineral.objects.create(name=name, slug=name.lower(), symbol=symbol, aliases=aliases)
        for name, symbol, aliases in MINERALS
    ]
    countries = [Country.objects.create(name=name, slug=name.lower()) for name in COUNTRIES]
    now = timezone.now()
    batch = 2000
    for start in range(0, total, batch):
        articles = []
        for n in range(start, min(total, start + batch)):
            body = "".join(f"<p>{words(rng, 40)}.</p>" for _ in range(rng.randint(3, 8)))
            articles.append(Article(
                title=words(rng, 8).capitalize(), slug=f"bench-{n}", dek=words(rng, 20).capitalize(), body=body,
                section=rng.choice(sections),
                status=Article.Status.PUBLISHED if rng.random() < 0.95 else Article.Status.DRAFT,
                publish_at=now - timedelta(minutes=n * 7),
            ))
        created = Article.objects.bulk_create(articles)
        TaggedMineral.objects.bulk_create(
            TaggedMineral(content_object=article, tag=mineral)
            for article in created for mineral in rng.sample(minerals, rng.randint(0, 2))
        )
        TaggedCountry.objects.bulk_create(
            TaggedCountry(content_object=article, tag=rng.choice(countries)) for article in created
        )
        print(f"\r  built {min(total, start + batch):,} / {total:,} articles", end="", flush=True)
    print()
    return sections


def timed(function, runs):
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, help="how many articles to build (default 100000; 5000 on SQLite)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (the median is reported)")
    options = parser.parse_args()
    postgres = is_supported()
    total = options.articles or (100_000 if postgres else 5_000)

    old_name = connection.settings_dict["NAME"]
    print(f"Creating a scratch {connection.vendor} database…")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        began = time.perf_counter()
        with transaction.atomic():
            sections = build(total)
        print(f"Built {total:,} articles in {time.perf_counter() - began:.1f} s")
        if postgres:
            began = time.perf_counter()
            refreshed = refresh_search_vectors(Article.objects.all())
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_article")
            print(f"Indexed {refreshed:,} search vectors in {time.perf_counter() - began:.1f} s")
        else:
            print("SQLite: no full-text index; searches scan title, dek and body.")

        recent = timezone.now().date() - timedelta(days=30)
        print(f"\n{'query':<24} {'results':>8} {'page 1 median':>14} {'count median':>13}   (ms, {options.runs} runs)")
        for label, kwargs in QUERIES:
            kwargs = {**kwargs}
            if kwargs.get("section") == "section":
                kwargs["section"] = sections[0]
            if kwargs.get("date_from") == "recent":
                kwargs["date_from"] = recent
            results = search_articles(**kwargs)
            page, _, _ = timed(lambda: list(results.all()[:20]), options.runs)
            count, _, _ = timed(lambda: results.all().count(), options.runs)
            print(f"{label:<24} {results.count():>8,} {page:>14.1f} {count:>13.1f}")

        plan = search_articles(text="ganzhou")[:20].explain(**({"analyze": True} if postgres else {}))
        print("\nQuery plan for a search (first page):\n" + plan)
        if postgres:
            verdict = "uses" if "article_search_vector_gin" in plan else "does NOT use"
            print(f"\nThe search {verdict} the GIN index article_search_vector_gin.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
