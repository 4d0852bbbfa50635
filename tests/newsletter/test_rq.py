"""The daily update through RQ: enqueued with django-tasks' RQ backend, sent by a burst worker."""

import os
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsletter.models import DailyUpdate, Delivery
from tests.support import factories as f
from tests.support import factories_newsletter as nf

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set"),
]


@pytest.fixture
def rq_tasks(settings):
    """Switch django-tasks to RQ for one test; the backend cache resets on the TASKS change."""
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def run_worker():
    import django_rq
    from rq import SimpleWorker

    # SimpleWorker runs jobs in this process, so they see the test's database and mail outbox.
    worker = django_rq.get_worker("default", worker_class=SimpleWorker)
    worker.work(burst=True)
    return worker


def test_rq_workers_send_each_delivery_exactly_once(rq_tasks, mailoutbox, settings):
    """Enqueued twice before any worker runs, every subscriber still gets exactly one message."""
    settings.NEWSLETTER_BATCH_SIZE = 2
    day = timezone.localdate() - timedelta(days=1)
    f.article(publish_at=timezone.make_aware(datetime.combine(day, time(11))))
    readers = [nf.subscriber() for _ in range(3)]
    for _ in range(2):
        call_command("send_daily_update", "--date", day.isoformat(), stdout=StringIO(), stderr=StringIO())
    assert mailoutbox == []  # nothing is sent inline on the RQ backend
    assert rq_tasks.count == 4
    run_worker()
    assert rq_tasks.count == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert DailyUpdate.objects.get().status == DailyUpdate.Status.SENT


def test_rq_signup_mail_goes_through_a_worker(rq_tasks, client, mailoutbox):
    """The confirmation email is queued and sent by the worker, not in the request."""
    client.post("/newsletter/", {"email": "queued@example.org"})
    assert mailoutbox == [] and rq_tasks.count == 1
    run_worker()
    assert [m.to for m in mailoutbox] == [["queued@example.org"]]
