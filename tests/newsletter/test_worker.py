"""The real `manage.py worker` process, end to end: with the send time a few seconds ahead, the daily
update reaches an SMTP server on loopback with no other command; and one of four workers killed with
SIGKILL mid-send costs no duplicate and at most its chunk in flight."""

import asyncio
import collections
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from tests.newsletter.test_smtp import Collector, free_port

ROOT = Path(__file__).resolve().parents[2]
SEED = """
from datetime import timedelta
from django.utils import timezone
from tests.support import factories as f, factories_newsletter as nf
f.article(title="Worker integration story", publish_at=timezone.now() - timedelta(minutes=5))
nf.subscriber(email="integration@example.org")
"""


def manage(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    """One migrated SQLite file; each test starts from a copy."""
    path = tmp_path_factory.mktemp("worker") / "template.sqlite3"
    result = manage("migrate", "--noinput", env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"})
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def smtp_sink():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield collector, controller.port
    controller.stop()


def worker_env(database, port, **extra):
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "UTC"))
    send_at = datetime.now(zone) + timedelta(seconds=6)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "NEWSLETTER_"))}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "NEWSLETTER_SEND_TIME": f"{send_at:%H:%M:%S}",
        "NEWSLETTER_REVIEW_MINUTES": "1",
        "WORKER_TICK_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def receive_the_update(tmp_path, migrated_database, smtp_sink, **extra):
    collector, port = smtp_sink
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_database, database)
    env = worker_env(database, port, **extra)
    assert manage("shell", "-c", SEED, env=env).returncode == 0
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 40
        while not collector.messages and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.25)
        time.sleep(1.5)  # long enough for a second copy to show up, were one coming
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert [rcpts for _peer, rcpts, _content in collector.messages] == [["integration@example.org"]], output
    assert b"Worker integration story" in collector.messages[0][2]
    assert "integration@example.org" not in output  # the worker's log names no reader
    return output


def test_the_worker_sends_the_daily_update_on_the_database_queue(tmp_path, migrated_database, smtp_sink):
    """On SQLite with the embedded database queue, the worker builds and sends the day's update by itself."""
    output = receive_the_update(tmp_path, migrated_database, smtp_sink, TASKS_BACKEND="database")
    assert "DatabaseBackend" in output


@pytest.mark.redis
def test_the_worker_sends_the_daily_update_on_rq(tmp_path, migrated_database, smtp_sink):
    """With TASKS_BACKEND=rq the same worker command runs RQ on Redis and sends the update once."""
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("rq:queue:default")
    output = receive_the_update(tmp_path, migrated_database, smtp_sink, TASKS_BACKEND="rq")
    assert "RQBackend" in output


READERS, CHUNK = 300, 25
KILL_SEED = f"""
from datetime import timedelta
from django.utils import timezone
from newsletter.models import Subscriber
from tests.support import factories as f
f.article(title="Kill test story", publish_at=timezone.now() - timedelta(minutes=5))
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{{n}}@example.org", status="active", confirmed_at=timezone.now())
    for n in range({READERS})
)
"""


class SlowSink:
    """An SMTP server that takes 20 ms over each message, so a send lasts long enough to be interrupted."""

    def __init__(self):
        self.received = collections.Counter()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        self.received.update(envelope.rcpt_tos)
        return "250 OK"


def rows(database, sql):
    with sqlite3.connect(database, timeout=20) as connection:
        return connection.execute(sql).fetchall()


def workers_running_a_batch(engine, database):
    """The ids of workers running a task right now, as the queue knows them."""
    if engine == "rq":
        import django_rq
        from rq.job import Job
        from rq.registry import StartedJobRegistry

        queue = django_rq.get_queue("default")
        return {
            Job.fetch(job_id, connection=queue.connection).worker_name
            for job_id in StartedJobRegistry(queue=queue).get_job_ids()
        }
    running = rows(
        database, "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    )
    return {json.loads(ids)[-1] for (ids,) in running}


@pytest.mark.parametrize("engine", ["database", pytest.param("rq", marks=pytest.mark.redis)])
def test_a_worker_killed_mid_send_loses_and_doubles_nobody(tmp_path, migrated_database, engine, settings):
    """SIGKILL to a worker holding a batch: 0 duplicates, at most one chunk unknown, all others delivered by
    the rest."""
    if engine == "rq":
        import django_rq

        settings.RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"], "DEFAULT_TIMEOUT": 60}}
        django_rq.get_queue("default").empty()
    sink = SlowSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    database = tmp_path / "db.sqlite3"
    database.write_bytes(migrated_database.read_bytes())
    env = worker_env(
        database,
        controller.port,
        TASKS_BACKEND=engine,
        NEWSLETTER_LEASE_SECONDS="3",
        NEWSLETTER_BATCH_SIZE="50",
        NEWSLETTER_CHUNK_SIZE=str(CHUNK),
        LOG_LEVEL="WARNING",
    )
    workers = []
    try:
        assert manage("shell", "-c", KILL_SEED, env=env).returncode == 0
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "worker"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(4)
        ]
        deadline = time.monotonic() + 40
        victim = None
        while victim is None and time.monotonic() < deadline:
            time.sleep(0.05)
            if sum(sink.received.values()) < 40:
                continue
            # A worker running a batch right now: the queue names it, its heartbeat row gives its pid.
            holders = workers_running_a_batch(engine, database)
            pids = [
                pid
                for worker_id, pid in rows(database, "SELECT worker_id, pid FROM newsletter_workerheartbeat")
                if worker_id[:64] in holders
            ]
            victim = pids[0] if pids else None
        assert victim, "no worker was caught mid-batch"
        os.kill(victim, signal.SIGKILL)
        while time.monotonic() < deadline:
            time.sleep(0.25)
            if rows(database, "SELECT COUNT(*) FROM newsletter_delivery")[0][0] == READERS and not rows(
                database, "SELECT 1 FROM newsletter_delivery WHERE status IN ('pending', 'sending')"
            ):
                break
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        controller.stop()
    statuses = dict(rows(database, "SELECT status, COUNT(*) FROM newsletter_delivery GROUP BY status"))
    unknown = {
        email
        for (email,) in rows(
            database,
            "SELECT s.email FROM newsletter_delivery d JOIN "
            "newsletter_subscriber s ON s.id = d.subscriber_id WHERE d.status = 'unknown'",
        )
    }
    everyone = {f"reader{n}@example.org" for n in range(READERS)}
    assert max(sink.received.values()) == 1, "someone was mailed twice"
    assert statuses.get("unknown", 0) <= CHUNK, statuses
    assert set(sink.received) | unknown == everyone and everyone - unknown <= set(sink.received), statuses
    assert set(statuses) <= {"sent", "unknown"}, statuses
