"""Background work, through the django-tasks API: inline with the ImmediateBackend, on RQ workers
with TASKS_BACKEND=rq. Arguments are ids, so a task always reads the current rows."""

from django_tasks import task

from newsletter import services


@task()
def send_delivery_batch(*, delivery_ids):
    return services.deliveries_send_batch(delivery_ids=delivery_ids)


@task()
def send_subscriber_mail(*, subscriber_id, kind):
    return services.subscriber_mail_send(subscriber_id=subscriber_id, kind=kind)
