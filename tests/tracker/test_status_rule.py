"""The status rule at every boundary: the day before, of and after an event and an `until`, dates
known to the month or year, a suspension extended then lifted, and an `until` passed with no report.
They depend on nothing one database does, so CI's PostgreSQL pass runs every one of them again."""

from datetime import date, timedelta

import pytest

from tests.tracker import factories
from tracker.models import Measure, MeasureEvent
from tracker.status import Basis, State

Kind = MeasureEvent.Kind
pytestmark = pytest.mark.django_db

IN_FORCE = date(2025, 4, 4)
SUSPENDED = date(2025, 11, 10)
UNTIL = date(2026, 11, 10)


def state(measure, day):
    status = measure.status_on(day)
    return status.state if status else None


def in_force_ids(day):
    return set(Measure.objects.in_force_on(day).values_list("pk", flat=True))


def test_in_force_from_the_midnight_of_its_day():
    """Nothing the day before it takes effect, in force on its day and after, read either way."""
    measure = factories.measure(events=[(Kind.IN_FORCE, IN_FORCE)])
    before, of, after = IN_FORCE - timedelta(days=1), IN_FORCE, IN_FORCE + timedelta(days=1)
    assert [state(measure, day) for day in (before, of, after)] == [None, State.IN_FORCE, State.IN_FORCE]
    assert [measure.pk in in_force_ids(day) for day in (before, of, after)] == [False, True, True]


def test_announced_is_not_in_force():
    """Announced, not yet in force, is its own status and not counted as in force."""
    measure = factories.measure(
        events=[(Kind.ANNOUNCED, date(2025, 10, 9)), (Kind.IN_FORCE, date(2025, 12, 1))]
    )
    assert state(measure, date(2025, 11, 30)) == State.ANNOUNCED
    assert measure.pk not in in_force_ids(date(2025, 11, 30))
    assert state(measure, date(2025, 12, 1)) == State.IN_FORCE
    assert measure.status_on(date(2025, 11, 30)).sentence == "Announced 9 October 2025; not yet in force."


def test_suspension_until_holds_through_its_last_day_and_ends_as_scheduled():
    """Suspended through `until`; the next day it is in force again, as scheduled, not reported."""
    measure = factories.measure(
        events=[(Kind.IN_FORCE, IN_FORCE), (Kind.SUSPENDED, SUSPENDED, {"until": UNTIL})],
    )
    assert state(measure, SUSPENDED - timedelta(days=1)) == State.IN_FORCE
    assert state(measure, SUSPENDED) == State.SUSPENDED
    assert measure.pk not in in_force_ids(SUSPENDED)
    last_day = measure.status_on(UNTIL)
    assert (last_day.state, last_day.days_left, last_day.countdown) == (State.SUSPENDED, 0, "last day")
    assert measure.status_on(UNTIL - timedelta(days=3)).countdown == "3 days left"
    after = measure.status_on(UNTIL + timedelta(days=1))
    assert (after.state, after.basis, after.lapsed_until) == (State.IN_FORCE, Basis.SCHEDULED, UNTIL)
    assert after.sentence == "In force: the suspension ended 10 November 2026 as scheduled; no later report."
    assert measure.pk in in_force_ids(UNTIL + timedelta(days=1))


def test_reported_reinstatement_is_not_the_scheduled_one():
    """A reinstatement reported on the day after `until` carries basis reported, not scheduled."""
    measure = factories.measure(
        events=[
            (Kind.IN_FORCE, IN_FORCE),
            (Kind.SUSPENDED, SUSPENDED, {"until": UNTIL}),
            (Kind.REINSTATED, UNTIL + timedelta(days=1)),
        ],
    )
    after = measure.status_on(UNTIL + timedelta(days=1))
    assert (after.state, after.basis) == (State.IN_FORCE, Basis.REPORTED)


def test_year_precision_takes_effect_on_first_day_and_shows_the_year():
    """A date known only to the year counts from 1 January and is shown as the year alone."""
    measure = factories.measure(events=[(Kind.IN_FORCE, date(2025, 7, 15), {"date_precision": "year"})])
    event = measure.events.get()
    assert event.date == date(2025, 1, 1)
    assert (event.date_display, event.date_iso) == ("2025", "2025")
    assert state(measure, date(2024, 12, 31)) is None
    assert state(measure, date(2025, 1, 1)) == State.IN_FORCE
    assert measure.status_on(date(2025, 3, 1)).sentence == "In force since 2025."
    assert measure.pk in in_force_ids(date(2025, 1, 1))


def test_month_precision_shows_the_month():
    """A date known to the month counts from its first day and is written as the month."""
    measure = factories.measure(events=[(Kind.IN_FORCE, date(2026, 2, 20), {"date_precision": "month"})])
    event = measure.events.get()
    assert (event.date_display, event.date_iso) == ("February 2026", "2026-02")
    assert state(measure, date(2026, 1, 31)) is None
    assert state(measure, date(2026, 2, 1)) == State.IN_FORCE


def test_suspension_extended_then_lifted():
    """An extension moves the end of the suspension; a later lifting ends the measure whatever the end was."""
    extended_on, new_until, lifted_on = date(2026, 11, 1), date(2027, 11, 10), date(2027, 3, 1)
    measure = factories.measure(
        events=[
            (Kind.IN_FORCE, IN_FORCE),
            (Kind.SUSPENDED, SUSPENDED, {"until": UNTIL}),
            (Kind.EXTENDED, extended_on, {"until": new_until}),
            (Kind.LIFTED, lifted_on),
        ],
    )
    assert measure.status_on(extended_on - timedelta(days=1)).until == UNTIL
    assert measure.status_on(extended_on).until == new_until
    assert state(measure, UNTIL + timedelta(days=1)) == State.SUSPENDED
    assert state(measure, lifted_on - timedelta(days=1)) == State.SUSPENDED
    assert state(measure, lifted_on) == State.LIFTED
    assert state(measure, new_until + timedelta(days=1)) == State.LIFTED
    assert measure.pk not in in_force_ids(new_until + timedelta(days=1))


def test_temporary_measure_expires_as_scheduled():
    """A temporary measure expires the day after `until`, as scheduled, with no report."""
    measure = factories.measure(events=[(Kind.IN_FORCE, IN_FORCE, {"until": date(2025, 12, 31)})])
    assert state(measure, date(2025, 12, 31)) == State.IN_FORCE
    expired = measure.status_on(date(2026, 1, 1))
    assert (expired.state, expired.basis) == (State.EXPIRED, Basis.SCHEDULED)
    assert expired.sentence == "Expired: it ran until 31 December 2025 as scheduled; no later report."


def test_same_day_events_apply_in_recorded_order():
    """Two events on one day: the one recorded later decides the day."""
    measure = factories.measure(events=[(Kind.IN_FORCE, IN_FORCE), (Kind.SUSPENDED, IN_FORCE)])
    assert state(measure, IN_FORCE) == State.SUSPENDED
    assert measure.periods.count() == 1


def test_draft_events_do_not_count():
    """A draft event changes no status until an editor publishes it."""
    measure = factories.measure(events=[(Kind.IN_FORCE, IN_FORCE)])
    factories.event(measure=measure, kind=Kind.LIFTED, day=date(2025, 6, 1), status=MeasureEvent.Status.DRAFT)
    assert state(measure, date(2025, 7, 1)) == State.IN_FORCE


def test_with_state_on_matches_status_on_every_day():
    """The SQL reading and the model's reading of the rule agree on every day around every boundary."""
    measure = factories.measure(
        events=[
            (Kind.ANNOUNCED, date(2025, 10, 9)),
            (Kind.IN_FORCE, date(2025, 12, 1), {"until": date(2026, 6, 30)}),
            (Kind.SUSPENDED, date(2026, 1, 10), {"until": date(2026, 1, 20)}),
        ],
    )
    day = date(2025, 10, 1)
    while day < date(2026, 2, 1):
        expected = state(measure, day)
        found = {
            wanted
            for wanted in State.values
            if Measure.objects.with_state_on(day, wanted).filter(pk=measure.pk).exists()
        }
        assert found == ({expected} if expected else set()), day
        day += timedelta(days=1)
