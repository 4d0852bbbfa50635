"""Who is one reader, for a day: a hash of the day's salt, the client's address and its user agent.

The salt is random, made on the day's first read and kept only until the next midnight (in TIME_ZONE):
in Redis with an expiry at that midnight, or without Redis in a `DailySalt` row that every read and
every flush after midnight deletes. It is never derived from anything kept (a secret key and the date
could be hashed again a year later to test a known address against the stored counts); once it is gone,
nobody, the desk included, can tell whether an address was among a day's readers. The address and the
user agent themselves are never written anywhere.
"""

import hashlib
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from readership.models import DailySalt


def day_and_hour(now=None):
    """The day (in TIME_ZONE) and the start of the hour (UTC) a read at `now` counts in."""
    now = now or timezone.now()
    return timezone.localdate(now), now.replace(minute=0, second=0, microsecond=0)


def next_midnight(day):
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _salt_from_cache(day):
    key = f"readership:salt:{day.isoformat()}"
    seconds = max(1, int((next_midnight(day) - timezone.now()).total_seconds()))
    cache.add(key, secrets.token_hex(16), timeout=seconds)
    return cache.get(key)


# One process's copy of the database's salt for today, so a read costs no query for it.
_remembered = {}


def _salt_from_database(day):
    value = _remembered.get(day)
    if value is not None:
        return value
    DailySalt.objects.exclude(day=day).delete()
    try:
        with transaction.atomic():
            salt, _ = DailySalt.objects.get_or_create(day=day, defaults={"value": secrets.token_hex(16)})
    except IntegrityError:  # another process made it first
        salt = DailySalt.objects.get(day=day)
    _remembered.clear()
    _remembered[day] = salt.value
    return salt.value


def forget_past_salts(today):
    """Delete every salt of a day before `today` (the flush job calls this every tick)."""
    for day in [day for day in _remembered if day != today]:
        del _remembered[day]
    DailySalt.objects.filter(day__lt=today).delete()


def daily_salt(day):
    """The salt of `day`: shared by every app server, gone after the day."""
    if settings.REDIS_URL:
        salt = _salt_from_cache(day)
        if salt is not None:
            return salt
    return _salt_from_database(day)


def reader_digest(*, day, address, user_agent):
    """Sixteen hex digits that are the same for one address and browser all day, and unlinkable after it."""
    salt = daily_salt(day)
    return hashlib.blake2b(f"{address}\0{user_agent}".encode(), key=salt.encode(), digest_size=8).hexdigest()
