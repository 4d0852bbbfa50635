"""Workers racing for the same deliveries on PostgreSQL, where row locks are real."""

import threading

import pytest
from django.db import connection

from newsletter import services
from newsletter.models import Delivery
from tests import factories as f
from tests import factories_newsletter as nf


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_workers_send_each_delivery_once(mailoutbox):
    """Four workers handed the same batch at once send every message exactly once between them."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    readers = [nf.subscriber() for _ in range(20)]
    update = nf.daily_update(articles=[f.article()], audience=readers, status="sending")
    ids = list(update.deliveries.values_list("pk", flat=True))
    barrier = threading.Barrier(4)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(services.deliveries_send_batch(delivery_ids=ids))
        except Exception as error:  # noqa: BLE001 - the test reports any error
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result["sent"] for result in results) == 20
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.email for r in readers)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 20
