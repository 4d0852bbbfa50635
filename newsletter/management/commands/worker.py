"""`manage.py worker`: the one background process. It runs queued tasks and, in a supervised thread,
the schedule (WORKER_PERIODIC_JOBS every WORKER_TICK_SECONDS). Start as many as the work needs, on
any machines: the schedule's jobs are idempotent, so every worker runs them and each thing happens once."""

import itertools
import logging
import os
import signal
import socket
import threading
import time
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from newsletter import schedule, tasks
from newsletter.models import WorkerHeartbeat

logger = logging.getLogger("newsroom.worker")

# The longest the worker waits before running the task queue again after losing its store.
MAX_RESTART_DELAY = 30.0


class Schedule(threading.Thread):
    """Runs every periodic job each tick. A job that raises is logged and tried again next tick, so
    one bad tick (a database restart, say) never stops the schedule; the heartbeat row says when it
    last ran."""

    def __init__(self, heartbeat, jobs, interval):
        super().__init__(name="schedule", daemon=True)
        self.heartbeat, self.jobs, self.interval = heartbeat, jobs, interval
        self.stopping = threading.Event()

    def tick(self):
        errors = []
        for job in self.jobs:
            try:
                job()
            except (OperationalError, InterfaceError, *redis_errors()) as error:
                # An outage, not a bug: one line, not a traceback every tick while it lasts.
                first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
                logger.warning(
                    "Scheduled job %s could not run (%s: %s); trying again in %gs.",
                    job.__qualname__,
                    type(error).__name__,
                    first_line,
                    self.interval,
                )
                errors.append(f"{job.__qualname__}: {type(error).__name__}")
            except Exception as error:  # noqa: BLE001 - the schedule outlives any one failure
                logger.exception(
                    "Scheduled job %s failed; trying again in %gs.", job.__qualname__, self.interval
                )
                errors.append(f"{job.__qualname__}: {type(error).__name__}")
        try:
            WorkerHeartbeat.objects.filter(pk=self.heartbeat.pk).update(
                last_tick_at=timezone.now(), last_error="; ".join(errors)
            )
        except Exception:  # noqa: BLE001 - the database may be down; the next tick tries again
            logger.warning("Could not record the schedule's heartbeat; the database may be down.")
        close_old_connections()

    def run(self):
        while not self.stopping.is_set():
            self.tick()
            self.stopping.wait(self.interval)
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Run background tasks and the schedule (the daily update's draft and send, retries, recovery of "
        "dead workers' deliveries). Uses the database queue by default, RQ workers with TASKS_BACKEND=rq."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-schedule", action="store_true", help="Run tasks only, not the schedule.")

    def handle(self, *args, no_schedule=False, **options):
        try:
            schedule.send_time()
            jobs = [import_string(path) for path in settings.WORKER_PERIODIC_JOBS]
        except (ImproperlyConfigured, ImportError) as error:
            raise CommandError(str(error)) from None
        engine = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
        if engine not in ("RQBackend", "DatabaseBackend"):
            raise CommandError(f"{engine} runs tasks inline; set TASKS_BACKEND to database or rq.")
        worker_id = uuid.uuid4().hex
        heartbeat = WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=timezone.now(),
        )
        ticker = None
        if not no_schedule:
            ticker = Schedule(heartbeat, jobs, settings.WORKER_TICK_SECONDS)
            ticker.start()
        self.stdout.write(
            f"Worker {worker_id[:8]} on {heartbeat.hostname} (pid {heartbeat.pid}): tasks from "
            f"{engine}"
            + (
                f", schedule every {settings.WORKER_TICK_SECONDS:g}s; the daily update goes at "
                f"{settings.NEWSLETTER_SEND_TIME} ({settings.TIME_ZONE})."
                if ticker
                else "."
            )
        )
        try:
            self.run_tasks(worker_id)
        finally:
            if ticker:
                ticker.stopping.set()
                ticker.join(timeout=5)
            try:
                WorkerHeartbeat.objects.filter(pk=heartbeat.pk).delete()
            except Exception:  # noqa: BLE001 - a stale row only ages out of the admin's list
                logger.warning("Could not remove this worker's heartbeat row.")

    def run_tasks(self, worker_id):
        """Run the queue until asked to stop. A lost connection to the queue's store (Redis for RQ, the
        database for the database queue) does not end the process: it waits for the store to answer
        and runs the queue again, while the schedule thread goes on ticking."""
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        run = self.run_rq if type(backend).__name__ == "RQBackend" else self.run_database_queue
        delay = 1.0
        for attempt in itertools.count():
            started = time.monotonic()
            try:
                stopped = run(backend, worker_id, attempt)
            except (DatabaseError, *redis_errors()) as error:
                stopped = False
                message = str(error).strip()
                reason = f"{type(error).__name__}: {message.splitlines()[0] if message else ''}"
            else:
                reason = "the queue's connection failed"
            if stopped:
                return
            delay = 1.0 if time.monotonic() - started > 60 else min(delay * 2, MAX_RESTART_DELAY)
            logger.warning(
                "Task queue stopped (%s); running it again in %gs. The schedule goes on meanwhile.",
                reason,
                delay,
            )
            self.wait_or_stop(delay)
            if self.stop_requested:
                return
            close_old_connections()

    stop_requested = False

    def wait_or_stop(self, seconds):
        """Sleep, but return at once on SIGINT or SIGTERM (the queue's own handlers are gone by now)."""
        stopping = threading.Event()

        def stop(signum, frame):
            self.stop_requested = True
            stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            stopping.wait(seconds)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def run_rq(self, backend, worker_id, attempt):
        """One run of an RQ worker; True when it stopped because it was asked to."""
        import django_rq

        # Jobs run in this process (no fork per job), beside the schedule thread and its connections.
        connections.close_all()
        # A worker that lost Redis could not unregister its name: each run registers a new one.
        name = worker_id if attempt == 0 else f"{worker_id}-{attempt}"
        worker = django_rq.get_worker(*rq_queue_order(backend), worker_class=rq_worker_class(), name=name)
        try:
            worker.work(logging_level=logging.getLevelName(logging.getLogger().getEffectiveLevel()))
        except redis_errors():
            if worker._shutdown_requested_date is None:
                raise
        return worker._shutdown_requested_date is not None

    def run_database_queue(self, backend, worker_id, attempt):
        """One run of the database queue's worker; True when it stopped because it was asked to."""
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=sorted(backend.queues),
            interval=1,
            batch=False,
            backend_name=backend.alias,
            startup_delay=attempt == 0,
            max_tasks=None,
            worker_id=worker_id[:64],
        )
        worker.configure_signals()
        worker.run()
        return not worker.running


def rq_queue_order(backend):
    """The queues an RQ worker polls, in the order it takes jobs: the people's queue first, so a reader's
    mail goes between two batches of a send rather than after all of them."""
    return sorted(backend.queues, key=lambda name: (name != tasks.PEOPLE_QUEUE, name))


def rq_worker_class():
    """RQ's SimpleWorker, with the database connection checked around each job as Django checks it
    around each request: after a database restart the next job reconnects instead of failing."""
    from rq import SimpleWorker

    class Worker(SimpleWorker):
        def execute_job(self, job, queue):
            close_old_connections()
            try:
                return super().execute_job(job, queue)
            finally:
                close_old_connections()

    return Worker


def redis_errors():
    """Redis's connection errors, when the redis client is installed."""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        return ()
    return (RedisConnectionError, RedisTimeoutError)
