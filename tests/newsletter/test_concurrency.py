"""Workers racing for the same deliveries on PostgreSQL, where row locks are real."""

import threading

import pytest
from django.db import connection

from newsletter import sending
from newsletter.models import Delivery
from tests.support import factories as f
from tests.support import factories_newsletter as nf


def race(count, work):
    """Run `work` on `count` threads with their own connections, released at the same instant; their results.
    Any error fails the test."""
    barrier, results, errors = threading.Barrier(count), [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # noqa: BLE001 - the test reports any error
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_workers_send_each_delivery_once(mailoutbox):
    """Four workers handed the same batch at once send every message exactly once between them."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    readers = [nf.subscriber() for _ in range(20)]
    update = nf.daily_update(articles=[f.article()], audience=readers, status="sending")
    ids = list(update.deliveries.values_list("pk", flat=True))
    results = race(4, lambda: sending.deliveries_send_batch(delivery_ids=ids))
    assert sum(result["sent"] for result in results) == 20
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_claims_its_rows_while_another_batch_of_the_update_holds_its_own(mailoutbox):
    """Two batches of one update on separate connections: the second sends its rows while the first is
    mid-claim."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    from django.db import transaction

    readers = [nf.subscriber() for _ in range(6)]
    update = nf.daily_update(articles=[f.article()], audience=readers, status="sending")
    ids = list(update.deliveries.order_by("pk").values_list("pk", flat=True))
    first, second = ids[:3], ids[3:]
    holding, release = threading.Event(), threading.Event()
    errors = []

    def hold_first_batch():
        # The first worker has claimed its rows and not yet committed: its locks are held.
        try:
            with transaction.atomic():
                assert len(list(sending.deliveries_claim(first))) == 3
                holding.set()
                release.wait(timeout=30)
        except Exception as error:  # noqa: BLE001 - the test reports any error
            errors.append(error)
            holding.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold_first_batch)
    holder.start()
    try:
        assert holding.wait(timeout=30)
        result = {}

        def send_second_batch():
            try:
                result.update(sending.deliveries_send_batch(delivery_ids=second))
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        sender = threading.Thread(target=send_second_batch)
        sender.start()
        sender.join(timeout=60)
    finally:
        release.set()
        holder.join(timeout=60)
    assert errors == []
    assert result["sent"] == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers[3:])
    assert set(Delivery.objects.filter(pk__in=second).values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }
