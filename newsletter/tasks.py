"""Background work, through the django-tasks API. Arguments are ids, so a task always reads the
current rows and logs name no reader; services are imported inside each task, since the services
enqueue these tasks. Every task is safe to run twice: the rows it works on say what is left to do."""

from django_tasks import task


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
