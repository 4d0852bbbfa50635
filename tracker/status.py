"""The one rule for a measure's status: from its published events to the periods it spent in each
state, and what a period says to readers.

Every page, feed, export and mail reads status through this rule. `timeline()` turns events into
periods; the periods are stored (tracker.models.MeasurePeriod) whenever a measure's events change,
so `Measure.status_on(date)` and `Measure.objects.in_force_on(date)` read the same answer, one from
memory and one from SQL.

- Dates are calendar days in the site's zone; a change takes effect at the midnight starting its
  day. A date known to the month or year takes effect at the start of that period.
- `until` is the last day a suspension, reprieve or temporary measure holds. When it passes with no
  later event, the state changes at the next midnight *as scheduled*: a suspension gives way to
  the measure in force again, a temporary measure expires. Such a period carries
  basis "scheduled" and the `until` that ran out, so nobody mistakes it for a reported change.
- Events on the same day apply in the order they were recorded.
"""

from dataclasses import dataclass, replace
from datetime import timedelta

from django.db import models

from tracker import dates


class State(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    IN_FORCE = "in_force", "In force"
    SUSPENDED = "suspended", "Suspended"
    LIFTED = "lifted", "Lifted"
    EXPIRED = "expired", "Expired"


class Basis(models.TextChoices):
    REPORTED = "reported", "Reported"  # an event says so
    SCHEDULED = "scheduled", "Scheduled"  # an `until` ran out and nothing later was reported


class EventKind(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    IN_FORCE = "in_force", "In force"
    AMENDED = "amended", "Amended"
    EXPANDED = "expanded", "Expanded"
    NARROWED = "narrowed", "Narrowed"
    SUSPENDED = "suspended", "Suspended"
    EXTENDED = "extended", "Extended"
    REINSTATED = "reinstated", "Reinstated"
    LIFTED = "lifted", "Lifted"
    EXPIRED = "expired", "Expired"


# What each event makes of the measure; events absent here change no state (an amendment, say),
# though one carrying an `until` moves the end of the current state.
_OPENS = {
    EventKind.IN_FORCE: State.IN_FORCE,
    EventKind.REINSTATED: State.IN_FORCE,
    EventKind.SUSPENDED: State.SUSPENDED,
    EventKind.LIFTED: State.LIFTED,
    EventKind.EXPIRED: State.EXPIRED,
}
# When an `until` runs out unreported: what the state gives way to.
_AFTER_UNTIL = {State.SUSPENDED: State.IN_FORCE, State.IN_FORCE: State.EXPIRED}


@dataclass(frozen=True)
class Period:
    """A stretch of days in one state: from `start` up to, not including, `end` (None: still going)."""

    state: str
    start: object
    start_precision: str = dates.Precision.DAY
    end: object = None
    until: object = None  # the last day this state is due to hold, when one was given
    basis: str = Basis.REPORTED
    event_id: int | None = None  # the event that opened it (None when scheduled)
    lapsed_until: object = None  # for a scheduled period: the `until` that ran out

    def covers(self, day):
        return self.start <= day and (self.end is None or day < self.end)

    @property
    def label(self):
        return State(self.state).label


def timeline(events):
    """The periods of a measure with these published `events` (objects with pk, kind, date,
    date_precision, until), in order. Days before the first event belong to no period."""
    periods = []

    def open_period(period):
        if periods and periods[-1].end is None:
            if periods[-1].start == period.start:
                periods.pop()  # a later event of the same day wins
            else:
                periods[-1] = replace(periods[-1], end=period.start)
        periods.append(period)

    def run_out_before(day):
        # Apply every `until` that ran out before `day` (None: all of them) with nothing reported.
        while periods and periods[-1].until is not None and periods[-1].state in _AFTER_UNTIL:
            ends = periods[-1].until + timedelta(days=1)
            if day is not None and ends > day:
                return
            open_period(
                Period(
                    state=_AFTER_UNTIL[periods[-1].state],
                    start=ends,
                    basis=Basis.SCHEDULED,
                    lapsed_until=periods[-1].until,
                )
            )

    for event in sorted(events, key=lambda event: (event.date, event.pk or 0)):
        day = dates.start_of(event.date, event.date_precision)
        run_out_before(day)
        current = periods[-1] if periods else None
        opened = dict(start=day, start_precision=event.date_precision, event_id=event.pk)
        if event.kind in _OPENS:
            open_period(Period(state=_OPENS[event.kind], until=event.until, **opened))
        elif event.kind == EventKind.ANNOUNCED:
            if current is None or current.state in (State.LIFTED, State.EXPIRED):
                open_period(Period(state=State.ANNOUNCED, until=event.until, **opened))
        elif current is not None and event.until is not None:
            # Extended, amended, expanded, narrowed: the state holds, to the new end.
            open_period(Period(state=current.state, until=event.until, **opened))
    run_out_before(None)
    return periods


def period_on(periods, day):
    return next((period for period in periods if period.covers(day)), None)


def status_on(periods, day):
    """The MeasureStatus on `day` of a measure with these `periods`, or None before its first event."""
    period = period_on(periods, day)
    return MeasureStatus.of(period, day) if period is not None else None


@dataclass(frozen=True)
class MeasureStatus:
    """A measure's status on a day, as readers, feeds, exports and mail say it."""

    state: str
    since: object
    since_precision: str
    until: object
    basis: str
    lapsed_until: object
    on: object

    @classmethod
    def of(cls, period, on):
        return cls(
            period.state,
            period.start,
            period.start_precision,
            period.until,
            period.basis,
            period.lapsed_until,
            on,
        )

    @property
    def label(self):
        """A few words: 'In force', 'Suspended until 10 Nov 2026'."""
        if self.state == State.SUSPENDED and self.until:
            return f"Suspended until {dates.display_short(self.until)}"
        return State(self.state).label

    @property
    def is_scheduled(self):
        return self.basis == Basis.SCHEDULED

    @property
    def days_left(self):
        """Days from `on` to the last day of this state, when an end is due (0 on that last day)."""
        return (self.until - self.on).days if self.until else None

    @property
    def sentence(self):
        """One honest line: what holds, since when, until when, and on what basis."""
        since = dates.display(self.since, self.since_precision)
        until = dates.display(self.until)
        lapsed = dates.display(self.lapsed_until)
        if self.state == State.ANNOUNCED:
            return f"Announced {since}; not yet in force."
        if self.state == State.IN_FORCE and self.is_scheduled:
            return f"In force: the suspension ended {lapsed} as scheduled; no later report."
        if self.state == State.IN_FORCE:
            return f"In force since {since}" + (f", until {until}." if self.until else ".")
        if self.state == State.SUSPENDED:
            return f"Suspended since {since}" + (
                f", until {until}." if self.until else "; no end date was given."
            )
        if self.state == State.EXPIRED and self.is_scheduled:
            return f"Expired: it ran until {lapsed} as scheduled; no later report."
        return f"{State(self.state).label} {since}."

    @property
    def countdown(self):
        """'3 days left', '1 day left', 'last day' or '' when no end is due."""
        left = self.days_left
        if left is None or left < 0:
            return ""
        if left == 0:
            return "last day"
        return f"{left} day{'s' if left != 1 else ''} left"
