"""People before lists: a reader's confirmation, queued while the daily update's batches wait, is taken by
a single worker before the remaining batches, on the database queue and on RQ."""

import os
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends

from newsletter import tasks
from newsletter.management.commands import worker as worker_command
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")
WAITING = "waiting@example.org"


def queue_a_send(settings, readers=4):
    """The day's update queued as one batch per reader, none sent yet; returns the readers' addresses."""
    settings.NEWSLETTER_BATCH_SIZE = 1
    day = timezone.localdate() - timedelta(days=1)
    f.article(publish_at=timezone.make_aware(datetime.combine(day, time(11))))
    emails = [nf.subscriber().email for _ in range(readers)]
    call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())
    return emails


@pytest.fixture
def database_queue(settings):
    """django-tasks' database queue configured as in production."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["people", "default"]}
    }


def run_database_worker(max_tasks=None):
    """The database queue's worker as `manage.py worker` configures it, until the queue is empty."""
    from django_tasks_db.management.commands.db_worker import Worker

    backend = task_backends["default"]
    Worker(
        queue_names=sorted(backend.queues),
        interval=0,
        batch=True,
        backend_name=backend.alias,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="people-first",
    ).run()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker commits each task
def test_database_queue_takes_a_confirmation_between_two_batches(
    database_queue, settings, client, mailoutbox
):
    """With one worker mid-send on the database queue, a confirmation asked for then goes before the
    update's remaining batches."""
    readers = queue_a_send(settings)
    assert mailoutbox == []
    run_database_worker(max_tasks=1)  # the send is under way: one batch has gone
    assert len(mailoutbox) == 1
    assert client.post("/newsletter/", {"email": WAITING}).status_code == 302
    run_database_worker()
    recipients = [message.to[0] for message in mailoutbox]
    assert recipients[1] == WAITING
    assert sorted(recipients[:1] + recipients[2:]) == sorted(readers)


def test_people_tasks_go_on_their_own_queue_at_the_highest_priority(database_queue):
    """Signups and subscriber mails are queued on the people's queue at the top priority; batches are not."""
    from django_tasks_db.models import DBTaskResult

    tasks._enqueue(tasks.send_subscriber_mail, {"mail_id": 1})
    tasks._enqueue(tasks.record_signup, {"signup_request_id": 1})
    tasks._enqueue(tasks.send_delivery_batch, {"delivery_ids": [1]})
    rows = {
        row.task_path.rsplit(".", 1)[1]: (row.queue_name, row.priority) for row in DBTaskResult.objects.all()
    }
    assert rows == {
        "send_subscriber_mail": ("people", 100),
        "record_signup": ("people", 100),
        "send_delivery_batch": ("default", 0),
    }


@pytest.fixture
def rq_queues(settings):
    """django-tasks on RQ with the queues production configures."""
    import django_rq

    settings.RQ_QUEUES = {
        "people": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60},
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60},
    }
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["people", "default"]}}
    queues = [django_rq.get_queue(name) for name in ("people", "default")]
    for queue in queues:
        queue.empty()
    yield queues
    for queue in queues:
        queue.empty()


def run_rq_worker(max_jobs=None):
    """An RQ worker polling the queues in the order `manage.py worker` gives them, until they are empty."""
    import django_rq
    from rq import SimpleWorker

    # SimpleWorker runs jobs in this process, so they see the test's database and mail outbox.
    queues = worker_command.rq_queue_order(task_backends["default"])
    assert queues == ["people", "default"]
    django_rq.get_worker(*queues, worker_class=SimpleWorker).work(burst=True, max_jobs=max_jobs)


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")
def test_rq_worker_takes_a_confirmation_between_two_batches(rq_queues, settings, client, mailoutbox):
    """With one RQ worker mid-send, a confirmation asked for then goes before the update's remaining
    batches: the signup and its mail wait on the people's queue, which the worker polls first."""
    people, default = rq_queues
    readers = queue_a_send(settings)
    assert default.count == 4 and mailoutbox == []
    run_rq_worker(max_jobs=1)
    assert len(mailoutbox) == 1
    assert client.post("/newsletter/", {"email": WAITING}).status_code == 302
    assert people.count == 1 and default.count == 3
    run_rq_worker()
    recipients = [message.to[0] for message in mailoutbox]
    assert recipients[1] == WAITING
    assert sorted(recipients[:1] + recipients[2:]) == sorted(readers)
