"""The one write path for the tracker: `measure_save` and `event_save`.

Every write of a measure or its events goes through here: the admin (a measure with its inline
events and accounts, and an event recorded from an article's admin page), the demo loader and the
shell. Publishing is decided once, by the rule articles uses (articles.services.can_publish):
Writers may draft measures and events; only those who may publish articles publish, unpublish or
change what readers see of a measure. Each save keeps a MeasureChange (who, when, what changed),
rebuilds the periods the status rule derives, and leaves the page cache to tracker.invalidation.

`user` is the person making the change; None means the system (a command, the shell), which may
publish.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.services import can_publish
from tracker import status
from tracker.models import Measure, MeasureChange, MeasureEvent, MeasurePeriod, PublicationStatus

_MEASURE_FIELDS = (
    "title",
    "slug",
    "summary",
    "kind",
    "direction",
    "implementing_country_id",
    "instrument",
    "official_url",
    "official_source_id",
    "hs_codes",
    "status",
)
_EVENT_FIELDS = ("kind", "date", "date_precision", "until", "summary", "status")


def _event_snapshot(event):
    values = {name: _plain(getattr(event, name)) for name in _EVENT_FIELDS}
    values["articles"] = sorted(article.pk for article in event.articles.all())
    values["accounts"] = [[account.source_id, account.url, account.says] for account in event.accounts.all()]
    return values


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def snapshot(measure_id):
    """The stored state of a measure and every event, as plain JSON values (None when it does not exist)."""
    measure = (
        Measure.objects.filter(pk=measure_id)
        .prefetch_related("minerals", "affected_countries", "events__articles", "events__accounts")
        .first()
    )
    if measure is None:
        return None
    values = {name: getattr(measure, name) for name in _MEASURE_FIELDS}
    values["minerals"] = sorted(mineral.name for mineral in measure.minerals.all())
    values["affected_countries"] = sorted(country.name for country in measure.affected_countries.all())
    values["events"] = {str(event.pk): _event_snapshot(event) for event in measure.events.all()}
    return values


def public_view(values):
    """What readers see of a snapshot: nothing of a draft measure, and only its published events."""
    if values is None or values["status"] != PublicationStatus.PUBLISHED:
        return None
    events = {
        key: event
        for key, event in values["events"].items()
        if event["status"] == PublicationStatus.PUBLISHED
    }
    return {**values, "events": events}


def changed(before, after):
    """{name: [before, after]} for each measure field, and each event (as `event <id>`), that differs."""
    before, after = before or {}, after or {}
    differences = {}
    for name in (*_MEASURE_FIELDS, "minerals", "affected_countries"):
        if before.get(name) != after.get(name):
            differences[name] = [before.get(name), after.get(name)]
    events_before, events_after = before.get("events", {}), after.get("events", {})
    for key in sorted({*events_before, *events_after}, key=int):
        if events_before.get(key) != events_after.get(key):
            differences[f"event {key}"] = [events_before.get(key), events_after.get(key)]
    return differences


def _newly_published(before, after):
    """Whether the measure or any of its events goes from unpublished to published, or back."""
    was = (before or {}).get("status") == PublicationStatus.PUBLISHED
    now = (after or {}).get("status") == PublicationStatus.PUBLISHED
    if was != now:
        return True
    events_before = (before or {}).get("events", {})
    for key, event in (after or {}).get("events", {}).items():
        previous = events_before.get(key, {}).get("status")
        if (event["status"] == PublicationStatus.PUBLISHED) != (previous == PublicationStatus.PUBLISHED):
            return True
    return any(
        event["status"] == PublicationStatus.PUBLISHED
        for key, event in events_before.items()
        if key not in (after or {}).get("events", {})
    )


def check_permission(*, user, before, after):
    """PermissionDenied unless `user` may turn `before` into `after`: publishing, unpublishing, and
    any change to what readers see are for those who may publish."""
    if can_publish(user):
        return
    if _newly_published(before, after):
        raise PermissionDenied(
            "Only editors can publish or unpublish a measure or an event. Save it as a draft and an "
            "editor will take it from there."
        )
    if public_view(before) != public_view(after):
        raise PermissionDenied(
            "Only editors can change what readers see of a published measure. Add your change as a "
            "draft event, or ask an editor."
        )


def periods_rebuild(measure_id):
    """Store the periods the status rule derives from the measure's published events."""
    events = MeasureEvent.objects.filter(measure_id=measure_id, status=PublicationStatus.PUBLISHED).only(
        "pk", "kind", "date", "date_precision", "until"
    )
    MeasurePeriod.objects.filter(measure_id=measure_id).delete()
    MeasurePeriod.objects.bulk_create(
        MeasurePeriod(
            measure_id=measure_id,
            state=period.state,
            start=period.start,
            start_precision=period.start_precision,
            end=period.end,
            until=period.until,
            basis=period.basis,
            event_id=period.event_id,
            lapsed_until=period.lapsed_until,
        )
        for period in status.timeline(events)
    )


def _summary(differences, reason, *, new):
    if reason:
        return reason[:300]
    if new:
        return "Recorded"
    if list(differences) == ["status"]:
        return "Published" if differences["status"][1] == PublicationStatus.PUBLISHED else "Unpublished"
    names = []
    for name, (old, new) in differences.items():
        if name.startswith("event "):
            event = new or old
            verb = "Added" if old is None else "Removed" if new is None else "Changed"
            names.append(f"{verb} the event “{status.EventKind(event['kind']).label}” of {event['date']}")
        else:
            names.append(name.replace("_id", "").replace("_", " "))
    return ("Changed " if not names[0].startswith(("Added", "Removed", "Changed")) else "") + "; ".join(
        names
    )[:290]


def _record(*, measure_id, user, before, after, reason):
    differences = changed(before, after)
    if not differences:
        return None
    public_differences = changed(public_view(before), public_view(after))
    return MeasureChange.objects.create(
        measure_id=measure_id,
        changed_at=timezone.now(),
        changed_by=user if user is not None and user.is_authenticated else None,
        summary=_summary(public_differences or differences, reason, new=before is None),
        changes=differences,
        public=bool(public_differences) and public_view(after) is not None,
    )


def measure_save(*, measure, user=None, save_related=None, reason=""):
    """Write `measure`, and its minerals, countries, events and accounts through `save_related()`,
    as one change. Returns the MeasureChange kept (None when nothing changed).

    The write is checked after it is made, in its transaction, so every path (an inline event, an
    account, a many-to-many field) is held to the same rule; a change `user` may not make is
    rolled back whole and raises PermissionDenied.
    """
    with transaction.atomic():
        if measure.pk is not None:
            # Locked, so two saves of one measure record their changes one after the other.
            Measure.objects.select_for_update().filter(pk=measure.pk).first()
        before = snapshot(measure.pk) if measure.pk is not None else None
        measure.save()
        if save_related is not None:
            save_related()
        after = snapshot(measure.pk)
        check_permission(user=user, before=before, after=after)
        periods_rebuild(measure.pk)
        return _record(measure_id=measure.pk, user=user, before=before, after=after, reason=reason)


def event_save(*, event, user=None, save_related=None, reason=""):
    """Write one event (and its articles and accounts through `save_related()`) of an existing
    measure, by the same rule as measure_save."""
    measure = event.measure

    def write_event():
        event.save()
        if save_related is not None:
            save_related()

    return measure_save(measure=measure, user=user, save_related=write_event, reason=reason)
