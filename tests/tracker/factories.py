"""Small builders for tracker test data, written through the tracker's one write path."""

import itertools
from datetime import date

from tests.support import factories
from tracker.models import EventAccount, Measure, MeasureEvent
from tracker.services import event_save, measure_save

_counter = itertools.count(1)


def measure(*, minerals=(), affected=(), events=(), user=None, **fields):
    """A published measure unless `status` says otherwise; `events` are (kind, date, extra fields) tuples."""
    n = next(_counter)
    values = {
        "title": f"Measure {n}",
        "slug": f"measure-{n}",
        "kind": Measure.Kind.EXPORT_LICENSING,
        "direction": Measure.Direction.RESTRICTIVE,
        "instrument": f"Announcement No. {n}",
        "status": Measure.Status.PUBLISHED,
        **fields,
    }
    obj = Measure(**values)

    def save_related():
        obj.minerals.set(minerals)
        obj.affected_countries.set(affected)
        for kind, day, *extra in events:
            MeasureEvent.objects.create(
                measure=obj,
                kind=kind,
                date=day,
                status=MeasureEvent.Status.PUBLISHED,
                **(extra[0] if extra else {}),
            )

    measure_save(measure=obj, user=user, save_related=save_related)
    return obj


def event(
    *,
    measure,
    kind=MeasureEvent.Kind.IN_FORCE,
    day=date(2025, 4, 4),
    articles=(),
    accounts=(),
    user=None,
    **fields,
):
    """A published event of `measure` unless `status` says otherwise; `accounts` are (source, says) pairs."""
    obj = MeasureEvent(
        measure=measure, kind=kind, date=day, **{"status": MeasureEvent.Status.PUBLISHED, **fields}
    )

    def save_related():
        obj.articles.set(articles)
        for position, (source, says) in enumerate(accounts):
            EventAccount.objects.create(event=obj, source=source, says=says, position=position)

    event_save(event=obj, user=user, save_related=save_related)
    return obj


mineral = factories.mineral
country = factories.country
source = factories.source
article = factories.article
user = factories.user
