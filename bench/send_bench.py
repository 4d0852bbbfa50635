"""
The daily update at list scale: N confirmed subscribers with mixed topics, a local SMTP sink (aiosmtpd)
counting every message by recipient, and the project's own send run by 1 and 4 `manage.py worker`
processes on the configured database and task engine. Prints mails/s, the ratio to the limit (a plain
smtplib loop sending the same message over one connection to the same sink, measured in the same
run), missing and duplicate recipients, queries per mail and the workers' peak memory.

    python bench/send_bench.py                                   # SQLite + the database queue
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom REDIS_URL=redis://127.0.0.1:6379/11 \\
        TASKS_BACKEND=rq python bench/send_bench.py --subscribers 10000 --workers 1,4

The send runs in a scratch database (`<name>_sendbench` on PostgreSQL, a temporary file on SQLite)
made here and dropped at the end; the configured database is never touched. On RQ the queue named
`default` in REDIS_URL's database is emptied first.
"""

import argparse
import atexit
import collections
import json
import os
import random
import resource
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "newsroom-benchmark-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("SITE_URL", "https://news.example.org")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the SMTP sink, in a process of its own so it never shares a core's GIL with a sender ---


def run_sink(port, out):
    from aiosmtpd.controller import Controller

    counts = collections.Counter()

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            counts.update(envelope.rcpt_tos)
            return "250 OK"

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # taken by sigwait below, in any thread
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM})
    controller.stop()
    Path(out).write_text(json.dumps(counts))


class Sink:
    def __init__(self, port, workdir):
        self.port, self.out = port, Path(workdir) / f"sink-{time.monotonic_ns()}.json"
        self.process = subprocess.Popen([sys.executable, __file__, "--sink", str(port), str(self.out)])
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("The SMTP sink did not start.")

    def counts(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return collections.Counter(json.loads(self.out.read_text()))


# --- a worker: `manage.py worker --no-schedule`, counting its queries and peak memory ---


def run_worker(out):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.backends.signals import connection_created

    queries = [0]
    statements = collections.Counter()

    def count(execute, sql, params, many, context):
        queries[0] += 1
        statements[sql[:110]] += 1
        return execute(sql, params, many, context)

    def watch(sender, connection, **kwargs):
        if count not in connection.execute_wrappers:  # a reconnect reuses the wrapper object
            connection.execute_wrappers.append(count)

    connection_created.connect(watch, weak=False)
    atexit.register(
        lambda: Path(out).write_text(
            json.dumps(
                {
                    "queries": queries[0],
                    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                    "cpu": resource.getrusage(resource.RUSAGE_SELF).ru_utime
                    + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
                    "top": statements.most_common(12),
                }
            )
        )
    )
    call_command("worker", "--no-schedule", stdout=open(os.devnull, "w"))


# --- the scratch database ---


def scratch_database(workdir):
    """Point DATABASE_URL at a new empty database; returns a function that drops it."""
    import dj_database_url

    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'sendbench.sqlite3'}"
        return lambda: None
    import psycopg

    config = dj_database_url.parse(configured)
    name = f"{config['NAME']}_sendbench"
    admin = dict(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )

    def drop():
        with psycopg.connect(**admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = configured.rsplit("/", 1)[0] + "/" + name
    return drop


def seed(subscribers, rng):
    """Six articles on a few minerals and countries; subscribers with mixed topics. Returns the
    addresses the send must reach: those with no topics or one the day's articles cover."""
    from django.utils import timezone

    from articles.models import Article, Country, Mineral, Section
    from newsletter.models import Subscriber

    section = Section.objects.create(name="Markets", slug="markets")
    minerals = [
        Mineral.objects.create(name=name, slug=name.lower())
        for name in ("Lithium", "Cobalt", "Gallium", "Neodymium", "Tungsten", "Graphite")
    ]
    countries = [
        Country.objects.create(name=name, slug=name.lower())
        for name in ("China", "Chile", "Congo", "Australia", "Indonesia", "Canada")
    ]
    covered_minerals, covered_countries = set(), set()
    for n in range(6):
        article = Article.objects.create(
            title=f"Export licences tighten for the {n + 1}th time this year",
            slug=f"story-{n}",
            section=section,
            dek="Traders expect shipments to slow while buyers look for other suppliers. " * 2,
            body="<p>" + "Prices moved as the ministry published its quota for the year. " * 20 + "</p>",
            status=Article.Status.PUBLISHED,
            publish_at=timezone.now() - timezone.timedelta(hours=n + 1),
        )
        mineral, country = minerals[n % 3], countries[n % 3]
        article.minerals.add(mineral)
        article.countries.add(country)
        covered_minerals.add(mineral.pk)
        covered_countries.add(country.pk)
    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@bench.example.org", status=Subscriber.Status.ACTIVE, confirmed_at=now
            )
            for n in range(subscribers)
        ),
        batch_size=2000,
    )
    expected = set()
    mineral_links, country_links = [], []
    for subscriber in Subscriber.objects.only("pk", "email"):
        draw = rng.random()
        chosen_minerals = [rng.choice(minerals)] if 0.6 <= draw < 0.8 or draw >= 0.9 else []
        chosen_countries = [rng.choice(countries)] if 0.8 <= draw else []
        mineral_links += [
            Subscriber.minerals.through(subscriber_id=subscriber.pk, mineral_id=m.pk) for m in chosen_minerals
        ]
        country_links += [
            Subscriber.countries.through(subscriber_id=subscriber.pk, country_id=c.pk)
            for c in chosen_countries
        ]
        if (
            (not chosen_minerals and not chosen_countries)
            or {m.pk for m in chosen_minerals} & covered_minerals
            or {c.pk for c in chosen_countries} & covered_countries
        ):
            expected.add(subscriber.email)
    Subscriber.minerals.through.objects.bulk_create(mineral_links, batch_size=2000)
    Subscriber.countries.through.objects.bulk_create(country_links, batch_size=2000)
    return expected


def digest_wire():
    """One subscriber's copy of the day's digest, as the project builds it: the loop's message."""
    from django.utils import timezone

    from newsletter import daily_updates, emails, selectors
    from newsletter.models import DailyUpdate, Delivery, Subscriber

    update, _ = daily_updates.daily_update_build(date=timezone.localdate())
    subscriber = Subscriber.objects.first()
    delivery = Delivery(pk=1, daily_update=update, subscriber=subscriber)
    articles = list(selectors.update_articles(update))
    wire = emails.DigestCopies(update, emails.render_digest(update, articles)).copy(delivery)
    DailyUpdate.objects.all().delete()
    return subscriber.email, wire


def smtplib_limit(port, workdir, count, recipient, wire):
    """Mails/s of a plain smtplib loop sending the digest over one connection, and its CPU ms per mail."""
    sink = Sink(port, workdir)
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            smtp.sendmail("desk@news.example.org", [recipient], wire)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    received = sum(sink.counts().values())
    assert received == count, (received, count)
    return count / elapsed, 1000 * cpu / count


def reset_queue():
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if type(backend).__name__ == "RQBackend":
        import django_rq

        django_rq.get_queue("default").empty()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()


def send_run(workers, port, workdir, expected, timeout):
    """One send of today's update by `workers` worker processes; returns its figures."""
    from django.utils import timezone

    from newsletter import daily_updates
    from newsletter.models import DailyUpdate, WorkerHeartbeat

    DailyUpdate.objects.all().delete()
    WorkerHeartbeat.objects.all().delete()
    reset_queue()
    sink = Sink(port, workdir)
    stats = [Path(workdir) / f"worker-{workers}-{n}.json" for n in range(workers)]
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", str(path)], cwd=ROOT, stdout=subprocess.DEVNULL
        )
        for path in stats
    ]
    while WorkerHeartbeat.objects.count() < workers:
        time.sleep(0.1)
    start = time.perf_counter()
    update, _ = daily_updates.daily_update_build(date=timezone.localdate())
    daily_updates.daily_update_release(daily_update=update)
    while time.perf_counter() - start < timeout:
        update.refresh_from_db()
        if update.status == DailyUpdate.Status.SENT:
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=60)
    received = sink.counts()
    figures = [json.loads(path.read_text()) for path in stats]
    total = sum(received.values())
    return {
        "workers": workers,
        "finished": update.status == DailyUpdate.Status.SENT,
        "seconds": elapsed,
        "mails": total,
        "per_second": total / elapsed,
        "missing": len(expected - set(received)),
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "unexpected": len(set(received) - expected),
        "queries_per_mail": sum(f["queries"] for f in figures) / max(total, 1),
        "peak_mb": max(f["maxrss_kb"] for f in figures) / 1024,
        "cpu_ms": 1000 * sum(f["cpu"] for f in figures) / max(total, 1),
        "top": sum((collections.Counter(dict(f["top"])) for f in figures), collections.Counter()).most_common(
            12
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", default="1,4", help="comma-separated worker counts to run (default 1,4)")
    parser.add_argument("--limit-mails", type=int, default=3000, help="messages the smtplib loop sends")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--statements", action="store_true", help="show the workers' most frequent statements"
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="sendbench-")
    drop = scratch_database(workdir)
    port = free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # the workers' per-task lines would drown the figures
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        expected = seed(args.subscribers, random.Random(16))
        recipient, wire = digest_wire()
        loop_mails = min(args.limit_mails, args.subscribers)
        engine = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(
            f"{connections['default'].vendor} + {engine}; {args.subscribers:,} subscribers, "
            f"{len(expected):,} whose topics match; message {len(wire) / 1024:.1f} KB; batch "
            f"{settings.NEWSLETTER_BATCH_SIZE}, chunk {settings.NEWSLETTER_CHUNK_SIZE}; "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
        )
        print(
            "limit: a plain smtplib loop sending the same message over one connection to the same sink, "
            "run just before and just after each send (ratio: to their mean)"
        )
        print(
            f"{'workers':>7} {'seconds':>8} {'mails/s':>8} {'limit/s':>8} {'ratio':>6} {'missing':>8} "
            f"{'dupes':>6} {'queries/mail':>13} {'peak MB':>8} {'cpu ms/mail':>12} {'loop cpu':>9}"
        )
        for workers in [int(n) for n in args.workers.split(",")]:
            before, loop_cpu = smtplib_limit(port, workdir, loop_mails, recipient, wire)
            run = send_run(workers, port, workdir, expected, args.timeout)
            after, _ = smtplib_limit(port, workdir, loop_mails, recipient, wire)
            limit = (before + after) / 2
            print(
                f"{run['workers']:>7} {run['seconds']:>8.1f} {run['per_second']:>8,.0f} "
                f"{limit:>8,.0f} {run['per_second'] / limit:>6.2f} {run['missing']:>8} "
                f"{run['duplicates']:>6} {run['queries_per_mail']:>13.2f} "
                f"{run['peak_mb']:>8.0f} {run['cpu_ms']:>12.2f} {loop_cpu:>9.2f}"
                + ("" if run["finished"] else "  (did not finish)")
                + (f"  ({run['unexpected']} unexpected)" if run["unexpected"] else ""),
                flush=True,
            )
            if args.statements:
                for statement, count in run["top"]:
                    print(f"        {count:>8}  {statement}")
    finally:
        connections.close_all()
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sink"]:
        run_sink(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:2] == ["--worker"]:
        run_worker(sys.argv[2])
    else:
        main()
