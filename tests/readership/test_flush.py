"""The flush job: counts reach the rollups exactly once, whatever stops a flush or a worker half-way."""

from datetime import UTC, datetime

import pytest

from readership import rollups, stores
from readership.models import AppliedBatch, ArticleReads, HourlyReads, PendingRead, ReferrerReads
from readership.stores import flush_reads
from tests.readership.conftest import beacon
from tests.support import factories as f

pytestmark = pytest.mark.django_db


def views_and_readers(article):
    return ArticleReads.objects.filter(article=article).values_list("views", "readers").first()


def read_by(article, count, *, first_address=1):
    for n in range(first_address, first_address + count):
        assert (
            beacon(article, address=f"10.0.{n // 250}.{n % 250}", came_from="example.com").status_code == 204
        )


class FailingSites(Exception):
    pass


def fail_half_way(monkeypatch):
    """Make the next flush die after writing the daily rollups but before the referring sites."""

    def boom(batch, live_ids):
        raise FailingSites

    monkeypatch.setattr(rollups, "_apply_sites", boom)


@pytest.mark.usefixtures("database_store")
def test_a_second_flush_counts_nothing_again():
    """Flushing twice adds the reads once."""
    article = f.article()
    read_by(article, 3)
    assert flush_reads() == 3
    assert flush_reads() == 0
    assert views_and_readers(article) == (3, 3)
    assert PendingRead.objects.count() == 0


@pytest.mark.usefixtures("database_store")
def test_a_flush_failing_half_way_counts_nothing_and_the_next_counts_all(monkeypatch):
    """A flush that dies after writing part of the rollups leaves no trace; the next one counts each read
    once."""
    article = f.article()
    read_by(article, 3)
    with monkeypatch.context() as patch:
        fail_half_way(patch)
        with pytest.raises(FailingSites):
            flush_reads()
    assert not ArticleReads.objects.exists()
    assert PendingRead.objects.filter(claim="").count() == 3
    read_by(article, 2, first_address=10)
    assert flush_reads() == 5
    assert views_and_readers(article) == (5, 5)
    assert ReferrerReads.objects.get().views == 5


@pytest.mark.usefixtures("database_store")
def test_a_flush_moves_at_most_its_batch_and_the_rest_next_time(settings):
    """Flushes move READERSHIP_FLUSH_BATCH reads each, so memory stays bounded; all arrive in the end."""
    settings.READERSHIP_FLUSH_BATCH = 2
    article = f.article()
    read_by(article, 5)
    assert [flush_reads() for _ in range(4)] == [2, 2, 1, 0]
    assert views_and_readers(article) == (5, 5)


@pytest.mark.usefixtures("database_store")
def test_reads_of_the_first_48_hours_are_kept_hour_by_hour(time_machine):
    """Views within 48 hours of publication are kept by hour; later ones only by day."""
    time_machine.move_to("2026-12-01 10:30:00+00:00")
    article = f.article(publish_at=datetime(2026, 12, 1, 10, tzinfo=UTC))
    read_by(article, 2)
    time_machine.move_to("2026-12-02 09:10:00+00:00")
    read_by(article, 1, first_address=5)
    time_machine.move_to("2026-12-04 09:10:00+00:00")
    read_by(article, 1, first_address=6)
    flush_reads()
    hours = [(row.hour.day, row.hour.hour, row.views) for row in HourlyReads.objects.filter(article=article)]
    assert hours == [(1, 10, 2), (2, 9, 1)]
    assert sum(ArticleReads.objects.filter(article=article).values_list("views", flat=True)) == 4


@pytest.mark.usefixtures("database_store")
def test_referring_sites_beyond_the_top_few_are_summed_as_other(settings):
    """Each article and day keeps its READERSHIP_TOP_REFERRERS sites; the rest are summed."""
    settings.READERSHIP_TOP_REFERRERS = 2
    article = f.article()
    for n, host in enumerate(
        ["a.example", "a.example", "a.example", "b.example", "b.example", "c.example", "d.example"]
    ):
        beacon(article, address=f"10.1.0.{n}", came_from=host)
    flush_reads()
    assert ArticleReads.objects.get().referrers == {"a.example": 3, "b.example": 2, rollups.OTHER_SITES: 2}


@pytest.mark.redis
def test_redis_counts_exactly_and_uniques_from_the_hyperloglog(redis_store):
    """With Redis, views are exact and readers are the HyperLogLog's estimate."""
    article = f.article()
    read_by(article, 3)
    beacon(article, address="10.0.0.1", came_from="example.com")
    beacon(article, agent="Googlebot/2.1")
    assert flush_reads() == 4
    assert flush_reads() == 0
    assert views_and_readers(article) == (4, 3)
    assert PendingRead.objects.count() == 0


@pytest.mark.redis
def test_redis_uniques_stay_within_the_estimators_error(redis_store):
    """Twenty thousand readers are estimated within 3 % (the HyperLogLog's standard error is 0.81 %)."""
    article = f.article()
    day, hour = stores.readers.day_and_hour()
    for n in range(20000):
        redis_store.record(article_id=article.pk, day=day, hour=hour, referrer="", digest=f"{n:016x}")
    for n in range(5000):  # the same readers again: views, not readers
        redis_store.record(article_id=article.pk, day=day, hour=hour, referrer="", digest=f"{n:016x}")
    flush_reads()
    views, estimate = views_and_readers(article)
    assert views == 25000
    assert abs(estimate - 20000) <= 600


@pytest.mark.redis
def test_redis_flush_failing_before_its_commit_counts_the_batch_once_later(redis_store, monkeypatch):
    """A flush dying before its commit leaves its batch in Redis; the next counts it, and new reads, once."""
    article = f.article()
    read_by(article, 3)
    with monkeypatch.context() as patch:
        fail_half_way(patch)
        with pytest.raises(FailingSites):
            flush_reads()
    assert not ArticleReads.objects.exists()
    read_by(article, 2, first_address=10)  # arrive while the failed batch waits
    assert flush_reads() == 3  # the waiting batch first
    assert flush_reads() == 2
    assert views_and_readers(article) == (5, 5)
    assert ReferrerReads.objects.get().views == 5


@pytest.mark.redis
def test_redis_flush_dying_after_its_commit_never_counts_the_batch_twice(redis_store, monkeypatch):
    """A worker killed between writing a batch and deleting it from Redis: the next flush only deletes it."""
    article = f.article()
    read_by(article, 3)

    class Killed(Exception):
        pass

    def killed(batch_id):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(redis_store, "drop", killed)
        with pytest.raises(Killed):
            flush_reads()
    assert views_and_readers(article) == (3, 3)
    assert AppliedBatch.objects.count() == 1
    assert flush_reads() == 0
    assert flush_reads() == 0
    assert views_and_readers(article) == (3, 3)
    assert not redis_store.client.exists(redis_store.key(stores.TAKEN))


@pytest.mark.redis
def test_a_restarted_worker_finds_every_pending_read_in_redis(redis_store):
    """Counts wait in Redis, not in a worker: a new store (a restarted worker) flushes them all."""
    article = f.article()
    read_by(article, 4)
    restarted = stores.RedisStore(
        redis_store.client.connection_pool.connection_kwargs and stores.settings.REDIS_URL
    )
    assert restarted.flush() == 4
    assert views_and_readers(article) == (4, 4)
