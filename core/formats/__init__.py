"""One way of writing dates and times across the admin and the site: "7 December 2026" and
"7 December 2026, 22:13" in full, "7 Dec 2026, 22:13" in lists, "22:13" for a time of day (24-hour
clock, no leading zero on the day). Django reads the formats from en_GB/formats.py here
(FORMAT_MODULE_PATH); code that writes a date into a sentence uses the functions below."""

from django.utils import timezone
from django.utils.formats import date_format


def short_datetime(value):
    """A moment as lists show it, in the site's time zone: "7 Dec 2026, 22:13"."""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def time_and_day(value):
    """A moment within the coming days, for a sentence: "07:00 on 9 Dec"."""
    local = timezone.localtime(value)
    return f"{date_format(local, 'TIME_FORMAT')} on {date_format(local, 'j M')}"


def short_date(value):
    """A day as lists show it: "7 Dec 2026"."""
    return date_format(value, "SHORT_DATE_FORMAT")
