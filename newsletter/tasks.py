"""Background work, through the django-tasks API. Arguments are ids, so a task always reads the
current rows; services are imported inside each task, since the services enqueue these tasks."""

from django_tasks import task


@task()
def send_delivery_batch(*, delivery_ids):
    from newsletter import sending

    return sending.deliveries_send_batch(delivery_ids=delivery_ids)


@task()
def send_subscriber_mail(*, subscriber_id, kind):
    from newsletter import subscriptions

    return subscriptions.subscriber_mail_send(subscriber_id=subscriber_id, kind=kind)


@task()
def record_signup(*, email, mineral_ids, country_ids, ip_hash, user_agent, source):
    """The whole signup, off the request: looking the address up, storing it and mailing it would
    otherwise take longer for some addresses than others, and the delay would tell who subscribes."""
    from newsletter import subscriptions

    subscriptions.subscriber_signup(
        email=email, minerals=mineral_ids, countries=country_ids,
        ip_hash=ip_hash, user_agent=user_agent, source=source,
    )
