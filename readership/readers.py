"""Who is one reader, for a day: a hash of the day's salt, the client's address and its user agent.

The salt is random, made on the day's first read and kept only until the next midnight (in TIME_ZONE):
in Redis with an expiry at that midnight, or without Redis in a `DailySalt` row that every read and
every flush after midnight deletes. Each app process keeps a copy in memory for the day (replaced on
its first read of the next day), so a read costs no round trip for it. It is never derived from anything
kept (a secret key and the date could be hashed again a year later to test a known address against the
stored counts); once it is gone, nobody, the desk included, can tell whether an address was among a
day's readers. The address and the user agent themselves are never written anywhere.
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


# One process's copy of today's salt, so a read costs no round trip for it; replaced by the next day's.
_remembered = {}


def _remember(day, value):
    _remembered.clear()
    _remembered[day] = value
    return value


def _salt_from_cache(day):
    key = f"readership:salt:{day.isoformat()}"
    seconds = max(1, int((next_midnight(day) - timezone.now()).total_seconds()))
    cache.add(key, secrets.token_hex(16), timeout=seconds)
    value = cache.get(key)
    if value is None or getattr(cache, "down_since", None):
        return value  # during a Redis outage this process's own salt, so not kept past it
    return _remember(day, value)


def _salt_from_database(day):
    DailySalt.objects.exclude(day=day).delete()
    try:
        with transaction.atomic():
            salt, _ = DailySalt.objects.get_or_create(day=day, defaults={"value": secrets.token_hex(16)})
    except IntegrityError:  # another process made it first
        salt = DailySalt.objects.get(day=day)
    return _remember(day, salt.value)


def forget_past_salts(today):
    """Delete every salt of a day before `today` (the flush job calls this every tick)."""
    for day in [day for day in _remembered if day != today]:
        del _remembered[day]
    DailySalt.objects.filter(day__lt=today).delete()


def daily_salt(day):
    """The salt of `day`: shared by every app server, gone after the day."""
    if day in _remembered:
        return _remembered[day]
    if settings.REDIS_URL:
        salt = _salt_from_cache(day)
        if salt is not None:
            return salt
    return _salt_from_database(day)


def reader_digest(*, day, address, user_agent):
    """Sixteen hex digits that are the same for one address and browser all day, and unlinkable after it."""
    salt = daily_salt(day)
    return hashlib.blake2b(f"{address}\0{user_agent}".encode(), key=salt.encode(), digest_size=8).hexdigest()
