"""Background work, through the django-tasks API. Arguments are ids, so a task always reads the
current rows and logs name no reader; services are imported inside each task, since the services
enqueue these tasks. Every task is safe to run twice: the rows it works on say what is left to do."""

import logging
import time

from django.db import transaction
from django_tasks import task

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


def _enqueue(task_, kwargs):
    try:
        task_.enqueue(**kwargs)
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
