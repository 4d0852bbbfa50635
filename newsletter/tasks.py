"""Background work, through the django-tasks API. Arguments are ids, so a task always reads the
current rows and logs name no reader; services are imported inside each task, since the services
enqueue these tasks. Every task is safe to run twice: the rows it works on say what is left to do.

People before lists: the work a reader is waiting for (a signup and its confirmation, a welcome) goes
on a queue of its own, which `manage.py worker` polls before the daily update's batches, and at the
highest priority where the engine orders by priority (the database queue). A worker in the middle of a
send therefore takes a reader's mail between two batches; a send never holds it for longer than one."""

import logging
import time

from django.db import transaction
from django_tasks import task
from django_tasks.base import TASK_MAX_PRIORITY

logger = logging.getLogger(__name__)

# At most one line per this many seconds while the queue cannot be reached.
_QUEUE_DOWN_LOG_EVERY = 10.0
_queue_down_logged = [0.0]


def enqueue_on_commit(task_, **kwargs):
    """Queue `task_` once the caller's transaction commits. The rows a task works on say what is left
    to do, and the schedule queues again whatever waits too long; so when the queue cannot be reached
    (Redis down) the job is left to the schedule, logged as one line every few seconds, not a
    traceback per request."""
    transaction.on_commit(lambda: _enqueue(task_, kwargs))


# The queue for work a person is waiting for, and the tasks that carry such work.
PEOPLE_QUEUE = "people"
PEOPLE_TASKS = {"record_signup", "send_subscriber_mail"}


def for_people(task_):
    """`task_` on the people's queue (when the engine has it configured) and at the highest priority (when
    the engine honours priorities): a reader's mail overtakes the daily update's waiting batches."""
    backend = task_.get_backend()
    options = {}
    if PEOPLE_QUEUE in backend.queues:
        options["queue_name"] = PEOPLE_QUEUE
    if backend.supports_priority:
        options["priority"] = TASK_MAX_PRIORITY
    return task_.using(**options)


def _enqueue(task_, kwargs):
    try:
        (for_people(task_) if task_.name in PEOPLE_TASKS else task_).enqueue(**kwargs)
    except Exception as error:  # noqa: BLE001 - any queue failure leaves the job to the schedule
        now = time.monotonic()
        if now - _queue_down_logged[0] >= _QUEUE_DOWN_LOG_EVERY:
            _queue_down_logged[0] = now
            logger.warning(
                "Task queue unavailable (%s: %s); %s and any others wait for the schedule to queue "
                "them again.",
                type(error).__name__,
                str(error).splitlines()[0] if str(error) else "",
                task_.name,
            )


@task()
def send_delivery_batch(*, delivery_ids):
    from newsletter import sending

    return sending.deliveries_send_batch(delivery_ids=delivery_ids)


@task()
def send_subscriber_mail(*, mail_id):
    from newsletter import subscriptions

    return subscriptions.subscriber_mail_send(mail_id=mail_id)


@task()
def record_signup(*, signup_request_id):
    from newsletter import subscriptions

    return subscriptions.signup_request_process(signup_request_id=signup_request_id)
