"""Dates as the tracker means them: calendar days in the site's zone, each change taking effect at
its midnight, and dates known only to the month or year kept at that precision.

A date known to the month or year takes effect at the start of its period (a measure "in force in
2025" counts as in force from 1 January 2025), but is always shown and exported at its precision:
"2025", never "1 January 2025".
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def start_of(value, precision):
    """The first day of the period `value` falls in, at `precision`."""
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


@dataclass(frozen=True)
class PreciseDate:
    """A date at its precision, for machines: isoformat() is 2025, 2025-02 or 2025-02-20 (what HTML's
    <time datetime> and the exports take), so core.meta.iso_datetime writes it as it is."""

    value: date
    precision: str = "day"

    def isoformat(self):
        return iso(self.value, self.precision)


def iso(value, precision=Precision.DAY):
    """ISO 8601 at the date's precision: 2024, 2024-03 or 2024-03-05 ('' for no date)."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def display(value, precision=Precision.DAY):
    """For readers: '2025', 'April 2025' or '4 April 2025'."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def display_short(value, precision=Precision.DAY):
    """For tight spaces: '2025', 'Apr 2025' or '4 Apr 2025'."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return f"{value:%b} {value.year}"
    return f"{value.day} {value:%b} {value.year}"


def today():
    """Today in the site's zone."""
    return timezone.localdate()


def midnight(day):
    """The aware moment `day` starts in the site's zone: when a change dated `day` takes effect."""
    return timezone.make_aware(datetime.combine(day, time.min))


def next_midnight():
    """When today ends in the site's zone: no countdown is true past it."""
    return midnight(today() + timedelta(days=1))


def parse_iso_day(text):
    """A YYYY-MM-DD string as a date; ValueError with a reader's message otherwise."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad(text)
    except ValueError:
        return _bad(text)


def _bad(text):
    raise ValueError(f"“{text}” is not a date written as YYYY-MM-DD, for example 2026-11-10.")
