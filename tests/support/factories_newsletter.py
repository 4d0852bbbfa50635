"""Builders for newsletter test data."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from newsletter import tokens
from newsletter.models import DailyUpdate, DailyUpdateArticle, Delivery, Subscriber

_counter = itertools.count(1)


def subscriber(*, minerals=(), countries=(), **fields):
    """An active subscriber unless status says otherwise."""
    n = next(_counter)
    values = {"email": f"reader{n}@example.org", "status": Subscriber.Status.ACTIVE, **fields}
    if values["status"] == Subscriber.Status.ACTIVE:
        values.setdefault("confirmed_at", timezone.now())
    obj = Subscriber.objects.create(**values)
    obj.minerals.set(minerals)
    obj.countries.set(countries)
    return obj


def daily_update(*, articles=(), day=None, status=DailyUpdate.Status.DRAFT, audience=(), **fields):
    day = day or date.today() - timedelta(days=next(_counter))
    start = timezone.make_aware(datetime.combine(day, time.min))
    obj = DailyUpdate.objects.create(
        **{
            "date": day,
            "subject": f"Update for {day}",
            "status": status,
            "window_start": start,
            "window_end": start + timedelta(days=1),
            **fields,
        }
    )
    for position, article in enumerate(articles):
        DailyUpdateArticle.objects.create(daily_update=obj, article=article, position=position)
    for reader in audience:
        Delivery.objects.create(daily_update=obj, subscriber=reader)
    return obj


def token(purpose, reader):
    return tokens.make(purpose, reader)
