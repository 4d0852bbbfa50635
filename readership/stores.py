"""Where a counted read waits until the flush job writes it into the rollups, and the flush itself.

With Redis (REDIS_URL set), a read is one round trip: the view added to a hash of pending counts, the
reader's hash added to a HyperLogLog for the article and day (PFADD; about 0.8 % standard error, 12 kB
at most per article and day). The flush renames the pending hash to a batch of its own, stamped with a
batch id, in one atomic script, reads it, writes it into the rollups in one transaction that also
records the batch id, and only then deletes the batch. A flush that dies before its commit leaves the
batch in Redis for the next one; one that dies after finds its batch id recorded and deletes it
without counting it again. Redis itself keeps what it was sent as durably as its configuration says
(the deploy guide asks for appendfsync everysec: at most a second or so lost in a crash).

Without Redis (the SQLite default), a read is a `PendingRead` row and, for its reader, a `DailyReader`
row (one per article, day and salted hash, so the count of those rows is the exact number of unique
readers). The flush claims pending rows, counts them, adds them to the rollups and deletes them in one
transaction. The hashed readers of a day are deleted once the day is over and counted.
"""

import logging
import time
import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from redis import Redis
from redis.exceptions import RedisError

from readership import readers, rollups
from readership.models import AppliedBatch, DailyReader, PendingRead

logger = logging.getLogger(__name__)


class DatabaseStore:
    """Pending reads as rows in the site's own database."""

    def record(self, *, article_id, day, hour, referrer, digest):
        PendingRead.objects.create(article_id=article_id, day=day, hour=hour, referrer=referrer)
        DailyReader.objects.bulk_create(
            [DailyReader(article_id=article_id, day=day, digest=digest)], ignore_conflicts=True
        )

    def flush(self):
        """Move up to READERSHIP_FLUSH_BATCH pending reads into the rollups; how many were moved. Then
        forget the salts and hashed readers of days that are over."""
        moved = self.move() if PendingRead.objects.filter(claim="").exists() else 0
        self.forget_past_readers()
        return moved

    def move(self):
        claim = uuid.uuid4().hex
        with transaction.atomic():
            rollups.hold_flush_lock()
            ids = list(
                PendingRead.objects.filter(claim="")
                .order_by("pk")
                .values_list("pk", flat=True)[: settings.READERSHIP_FLUSH_BATCH]
            )
            if ids:
                PendingRead.objects.filter(claim="", pk__gte=ids[0], pk__lte=ids[-1]).update(claim=claim)
            claimed = PendingRead.objects.filter(claim=claim)
            batch = rollups.Batch()
            for row in claimed.values("article_id", "day", "hour", "referrer").annotate(n=Count("pk")):
                batch.views[row["article_id"], row["day"], row["hour"]] += row["n"]
                batch.referrers[row["article_id"], row["day"], row["referrer"]] += row["n"]
            touched = {(article_id, day) for article_id, day, _hour in batch.views}
            if touched:
                counted = (
                    DailyReader.objects.filter(
                        article_id__in={key[0] for key in touched}, day__in={key[1] for key in touched}
                    )
                    .values("article_id", "day")
                    .annotate(n=Count("pk"))
                )
                for row in counted:
                    if (row["article_id"], row["day"]) in touched:
                        batch.readers[row["article_id"], row["day"]] = row["n"]
            rollups.apply(batch)
            return claimed.delete()[0] if ids else 0

    def forget_past_readers(self):
        """Delete the hashed readers of days that are over and have nothing left to count."""
        today = timezone.localdate()
        waiting = set(PendingRead.objects.filter(day__lt=today).values_list("day", flat=True).distinct())
        DailyReader.objects.filter(day__lt=today).exclude(day__in=waiting).delete()
        readers.forget_past_salts(today)


# The pending counts, and the batch a flush has taken from them (one at a time).
LIVE, TAKEN, BATCH_FIELD = "readership:live", "readership:taken", "__batch__"

# Rename the live counts to the taken batch unless a batch is waiting already; answer the batch.
TAKE_SCRIPT = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
return redis.call('HGETALL', KEYS[2])
"""
# Delete the taken batch only if it is still the one this flush counted.
DROP_SCRIPT = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisStore:
    """Pending reads in Redis, reached with its own client on REDIS_URL (the cache's client hides the
    commands needed: HINCRBY, PFADD, scripts)."""

    # After a failed call, reads are dropped without trying Redis for this many seconds, so an outage
    # costs readers' beacons nothing but the first timeout.
    retry_interval = 5.0

    def __init__(self, url):
        self.client = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0)
        self._retry_at = 0.0

    @staticmethod
    def key(name):
        return cache.make_key(name)

    def hll_key(self, article_id, day):
        return self.key(f"readership:readers:{day.isoformat()}:{article_id}")

    def record(self, *, article_id, day, hour, referrer, digest):
        """Count one read; False when Redis cannot be reached (the read is then not counted)."""
        if time.monotonic() < self._retry_at:
            return False
        hll = self.hll_key(article_id, day)
        live = self.key(LIVE)
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.hincrby(live, f"v|{day.isoformat()}|{hour.isoformat()}|{article_id}", 1)
            pipe.hincrby(live, f"r|{day.isoformat()}|{article_id}|{referrer}", 1)
            pipe.pfadd(hll, digest)
            # Kept through the next day, so a flush just after midnight still counts the day's readers.
            pipe.expireat(hll, readers.next_midnight(day + timedelta(days=1)))
            pipe.execute()
        except RedisError as error:
            self._retry_at = time.monotonic() + self.retry_interval
            logger.warning("Readership could not reach Redis (%s); reads are not counted meanwhile.", error)
            return False
        return True

    def take(self):
        """The waiting batch as (batch id, {field: count}), taking the live counts if none waits."""
        keys = [self.key(LIVE), self.key(TAKEN)]
        answer = self.client.eval(TAKE_SCRIPT, 2, *keys, BATCH_FIELD, uuid.uuid4().hex)
        fields = {answer[i].decode(): answer[i + 1].decode() for i in range(0, len(answer), 2)}
        batch_id = fields.pop(BATCH_FIELD, "")
        return batch_id, {name: int(value) for name, value in fields.items()}

    def drop(self, batch_id):
        """Delete the taken batch, if it is still `batch_id` (another flush may have dropped it already)."""
        self.client.eval(DROP_SCRIPT, 1, self.key(TAKEN), BATCH_FIELD, batch_id)

    def batch_from(self, fields):
        batch = rollups.Batch()
        for name, count in fields.items():
            kind, rest = name.split("|", 1)
            if kind == "v":
                day, hour, article_id = rest.split("|")
                batch.views[int(article_id), date.fromisoformat(day), datetime.fromisoformat(hour)] += count
            elif kind == "r":
                day, article_id, host = rest.split("|", 2)
                batch.referrers[int(article_id), date.fromisoformat(day), host] += count
        touched = sorted({(article_id, day) for article_id, day, _hour in batch.views})
        pipe = self.client.pipeline(transaction=False)
        for article_id, day in touched:
            pipe.pfcount(self.hll_key(article_id, day))
        batch.readers = dict(zip(touched, pipe.execute(), strict=True))
        return batch

    def flush(self):
        """Move the pending counts into the rollups, exactly once; how many views were moved."""
        batch_id, fields = self.take()
        if not batch_id:
            return 0
        batch = self.batch_from(fields)
        with transaction.atomic():
            rollups.hold_flush_lock()
            _, new = AppliedBatch.objects.get_or_create(batch=batch_id)
            if new:
                rollups.apply(batch)
        self.drop(batch_id)
        AppliedBatch.objects.filter(applied_at__lt=timezone.now() - timedelta(days=7)).delete()
        return sum(batch.views.values()) if new else 0


# One client (and connection pool) per Redis address, shared by every request of the process.
_redis_stores = {}


def store():
    """The store reads go to: Redis when REDIS_URL is set, else the database."""
    if settings.REDIS_URL:
        if settings.REDIS_URL not in _redis_stores:
            _redis_stores[settings.REDIS_URL] = RedisStore(settings.REDIS_URL)
        return _redis_stores[settings.REDIS_URL]
    return DatabaseStore()


def flush_reads():
    """The worker's periodic job: move counted reads into the rollups (both stores, so reads buffered in
    the database before Redis was configured are counted too)."""
    moved = DatabaseStore().flush()
    if settings.REDIS_URL:
        moved += store().flush()
    if moved:
        logger.info("Readership: %d views written to the rollups.", moved)
    return moved
