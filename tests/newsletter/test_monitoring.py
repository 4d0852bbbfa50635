"""Failed background jobs, seen by staff and by monitoring on both task backends, and a worker that
keeps running its queue after losing the queue's store."""

import os
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from newsletter import monitoring, tasks
from newsletter.management.commands import worker as worker_command
from newsletter.models import WorkerHeartbeat
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def fail_a_job_on_the_database_queue():
    from django_tasks_db.models import DBTaskResult

    result = tasks.send_subscriber_mail.enqueue(mail_id=41)
    row = DBTaskResult.objects.get(pk=result.id)
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:
        row.set_failed(error)


def ticked_worker():
    WorkerHeartbeat.objects.create(
        worker_id="w", hostname="h", pid=1, started_at=timezone.now(), last_tick_at=timezone.now()
    )


def test_failed_jobs_on_the_database_queue_are_counted_and_listed(database_tasks):
    """A job that failed on the database queue shows in the count monitoring reads and in the list, with its
    error."""
    assert monitoring.failed_jobs_count() == 0
    fail_a_job_on_the_database_queue()
    assert monitoring.failed_jobs_count() == 1
    [job] = monitoring.failed_jobs()
    assert job.task == "newsletter.tasks.send_subscriber_mail(mail_id=41)"
    assert "server closed the connection unexpectedly" in job.error and job.failed_at is not None


def test_staff_see_failed_jobs_on_the_workers_page(database_tasks, admin_client):
    """The admin's Worker heartbeats page carries the health report and the latest failed jobs."""
    fail_a_job_on_the_database_queue()
    body = admin_client.get("/admin/newsletter/workerheartbeat/").content.decode()
    assert "Background work: needs attention" in body  # no worker has run the schedule
    assert "Failed background jobs: 1." in body
    assert (
        "newsletter.tasks.send_subscriber_mail(mail_id=41)" in body and "server closed the connection" in body
    )


def test_manage_py_health_exits_1_when_a_person_is_needed(database_tasks):
    """`manage.py health` prints the figures and exits 1 while no worker runs the schedule, 0 once one
    does."""
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("health", stdout=out)
    assert raised.value.returncode == 1 and "Schedule last ran: never" in out.getvalue()
    ticked_worker()
    fail_a_job_on_the_database_queue()
    out = StringIO()
    call_command("health", stdout=out)  # a failed job is history: its work is queued again by the schedule
    assert (
        "Failed background jobs: 1" in out.getvalue() and "send_subscriber_mail(mail_id=41)" in out.getvalue()
    )
    assert out.getvalue().rstrip().endswith("OK")
    out = StringIO()
    call_command("health", "--json", stdout=out)
    assert '"failed_tasks": 1' in out.getvalue() and '"ok": true' in out.getvalue()


def test_the_health_report_names_no_reader(database_tasks):
    """Neither the command nor the admin page lists an address: jobs carry ids."""
    nf.subscriber(email="private-reader@example.org")
    fail_a_job_on_the_database_queue()
    ticked_worker()
    out = StringIO()
    call_command("health", stdout=out)
    assert "private-reader" not in out.getvalue()


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
def test_failed_jobs_on_rq_are_counted_and_listed(settings):
    """On RQ the count and the list come from RQ's failed-job registry."""
    import django_rq
    from rq.registry import FailedJobRegistry

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    registry = FailedJobRegistry(queue=queue)
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)
    queue.empty()
    try:
        from rq import SimpleWorker

        tasks.record_signup.enqueue(signup_request_id=7)
        with mock.patch(
            "newsletter.subscriptions.signup_request_process",
            side_effect=OperationalError("the database system is shutting down"),
        ):
            django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
        assert monitoring.failed_jobs_count() == 1
        [failed] = monitoring.failed_jobs()
        assert "record_signup" in failed.task and "shutting down" in failed.error and failed.failed_at
    finally:
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
        queue.empty()


def test_the_worker_runs_its_queue_again_after_losing_the_database(monkeypatch):
    """A queue run that dies on a database (or Redis) error is started again after a pause; a requested stop
    ends it."""
    runs = []

    def run(backend, worker_id, attempt):
        runs.append(attempt)
        if attempt < 2:
            raise OperationalError("connection refused")
        return True  # stopped on request

    command = worker_command.Command()
    monkeypatch.setattr(command, "run_database_queue", run)
    monkeypatch.setattr(command, "run_rq", run)
    with mock.patch.object(command, "wait_or_stop") as wait:
        command.run_tasks("worker-id")
    assert runs == [0, 1, 2]
    assert [call.args[0] for call in wait.call_args_list] == [2.0, 4.0]  # backing off


def test_a_database_outage_is_one_line_a_tick_in_the_worker_log(caplog, monkeypatch):
    """A scheduled job that fails because the database is down logs one line, not a traceback, and the
    heartbeat row records it; the next job of the tick still runs."""
    # The tick closes connections as a request would; here that would close the test's own transaction.
    monkeypatch.setattr(worker_command, "close_old_connections", lambda: None)
    heartbeat = WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=timezone.now())
    ran = []

    def outage():
        raise OperationalError(
            'connection to server at "db" failed: Connection refused\nIs the server running?'
        )

    schedule_thread = worker_command.Schedule(heartbeat, [outage, lambda: ran.append(True)], interval=15)
    with caplog.at_level("WARNING", logger="newsroom.worker"):
        schedule_thread.tick()
    [record] = [r for r in caplog.records if r.name == "newsroom.worker"]
    assert (
        record.exc_info is None
        and "could not run (OperationalError: connection to server" in record.getMessage()
    )
    assert "Is the server running" not in record.getMessage()
    assert ran == [True]
    assert "OperationalError" in WorkerHeartbeat.objects.get(pk=heartbeat.pk).last_error
