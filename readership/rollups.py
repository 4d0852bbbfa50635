"""Writing a batch of counted reads into the rollups editors read: `ArticleReads` (article × day, with
its top referring sites), `HourlyReads` (an article's first 48 hours) and `ReferrerReads` (site × day).

Both stores (readership.stores) hand their batch to `apply` inside the one transaction that also marks
the batch as taken, so a batch is in the rollups entirely or not at all. Flushes hold `FlushLock` for
that transaction: they run one at a time, so reading a row and writing it back is safe.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from articles.models import Article
from readership.models import ArticleReads, FlushLock, HourlyReads, ReferrerReads

FIRST_HOURS = 48
# Readers beyond the top few sites of one article and day are kept under this name.
OTHER_SITES = "(other sites)"


@dataclass
class Batch:
    """Counts taken from a buffer: views by (article id, day, hour), views by (article id, day, referring
    host), and readers by (article id, day) as the day's whole estimate so far (not an increment)."""

    views: Counter = field(default_factory=Counter)
    referrers: Counter = field(default_factory=Counter)
    readers: dict = field(default_factory=dict)

    def __bool__(self):
        return bool(self.views or self.readers)


def hold_flush_lock():
    """Lock the one flush row until the current transaction ends (waiting for another flush to end)."""
    lock, _ = FlushLock.objects.get_or_create(name="flush")
    FlushLock.objects.select_for_update().filter(pk=lock.pk).get()


def top_referrers(counts):
    """The READERSHIP_TOP_REFERRERS most frequent sites, the rest summed under OTHER_SITES."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    keep = settings.READERSHIP_TOP_REFERRERS
    top = dict(ranked[:keep])
    rest = sum(views for _, views in ranked[keep:])
    if rest:
        top[OTHER_SITES] = top.get(OTHER_SITES, 0) + rest
    return top


def apply(batch):
    """Add `batch` to the rollups (call inside a transaction holding the flush lock)."""
    if not batch:
        return
    live_ids = set(
        Article.objects.filter(
            pk__in={key[0] for key in batch.views} | {key[0] for key in batch.readers}
        ).values_list("pk", flat=True)
    )
    _apply_daily(batch, live_ids)
    _apply_hourly(batch, live_ids)
    _apply_sites(batch, live_ids)


def _apply_daily(batch, live_ids):
    views = Counter()
    for (article_id, day, _hour), count in batch.views.items():
        views[article_id, day] += count
    sites = defaultdict(Counter)
    for (article_id, day, host), count in batch.referrers.items():
        sites[article_id, day][host] += count
    keys = {key for key in {*views, *batch.readers} if key[0] in live_ids}
    if not keys:
        return
    existing = {
        (row.article_id, row.day): row
        for row in ArticleReads.objects.filter(
            article_id__in={key[0] for key in keys}, day__in={key[1] for key in keys}
        )
    }
    created, changed = [], []
    for key in keys:
        row = existing.get(key)
        if row is None:
            row = ArticleReads(article_id=key[0], day=key[1])
            created.append(row)
        else:
            changed.append(row)
        row.views += views[key]
        if key in batch.readers:
            row.readers = batch.readers[key]
        # An estimate may run a little above the views it came from; a reader is at least one view.
        row.readers = min(row.readers, row.views)
        if sites[key]:
            row.referrers = top_referrers(Counter(row.referrers) + sites[key])
    ArticleReads.objects.bulk_create(created, batch_size=500)
    ArticleReads.objects.bulk_update(changed, ["views", "readers", "referrers"], batch_size=500)


def _apply_hourly(batch, live_ids):
    first_hours = dict(Article.objects.filter(pk__in=live_ids).values_list("pk", "publish_at"))
    counts = Counter()
    for (article_id, _day, hour), count in batch.views.items():
        published = first_hours.get(article_id)
        if published is not None and published - timedelta(hours=1) < hour < published + timedelta(
            hours=FIRST_HOURS
        ):
            counts[article_id, hour] += count
    if not counts:
        return
    existing = {
        (row.article_id, row.hour): row
        for row in HourlyReads.objects.filter(
            article_id__in={key[0] for key in counts}, hour__in={key[1] for key in counts}
        )
    }
    created, changed = [], []
    for (article_id, hour), count in counts.items():
        row = existing.get((article_id, hour))
        if row is None:
            created.append(HourlyReads(article_id=article_id, hour=hour, views=count))
        else:
            row.views += count
            changed.append(row)
    HourlyReads.objects.bulk_create(created, batch_size=500)
    HourlyReads.objects.bulk_update(changed, ["views"], batch_size=500)


def _apply_sites(batch, live_ids):
    counts = Counter()
    for (article_id, day, host), count in batch.referrers.items():
        if article_id in live_ids:
            counts[day, host] += count
    if not counts:
        return
    existing = {
        (row.day, row.host): row
        for row in ReferrerReads.objects.filter(
            day__in={key[0] for key in counts}, host__in={key[1] for key in counts}
        )
    }
    created, changed = [], []
    for (day, host), count in counts.items():
        row = existing.get((day, host))
        if row is None:
            created.append(ReferrerReads(day=day, host=host, views=count))
        else:
            row.views += count
            changed.append(row)
    ReferrerReads.objects.bulk_create(created, batch_size=500)
    ReferrerReads.objects.bulk_update(changed, ["views"], batch_size=500)
