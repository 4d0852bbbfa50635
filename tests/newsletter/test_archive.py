from datetime import date

import pytest

from articles.models import Article
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


def test_archive_lists_sent_updates_only(client):
    """Drafts and updates still sending stay out of the public archive."""
    nf.daily_update(day=date(2026, 3, 2), status="sent", articles=[f.article()])
    nf.daily_update(day=date(2026, 3, 3), status="sending")
    nf.daily_update(day=date(2026, 3, 4), status="draft")
    body = client.get("/newsletter/archive/").content.decode()
    assert "2 March 2026" in body and "3 March 2026" not in body and "4 March 2026" not in body


def test_archive_detail_lists_live_articles(client):
    """A past update's page links its articles that are still live."""
    live = f.article(title="Still online", dek="Standfirst here.")
    gone = f.article(title="Since withdrawn")
    update = nf.daily_update(day=date(2026, 3, 2), status="sent", articles=[live, gone])
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.DRAFT)
    body = client.get("/newsletter/archive/2026-03-02/").content.decode()
    assert update.subject in body and "Still online" in body and live.get_absolute_url() in body
    assert "Since withdrawn" not in body


def test_archive_detail_of_unsent_or_bad_date_is_404(client):
    """Unsent updates and impossible dates are not found, never a server error."""
    nf.daily_update(day=date(2026, 3, 3), status="draft")
    assert client.get("/newsletter/archive/2026-03-03/").status_code == 404
    assert client.get("/newsletter/archive/2026-02-30/").status_code == 404


def test_archive_list_query_count(client, django_assert_num_queries):
    """The archive list costs a fixed number of queries however many updates it shows."""
    for day in range(1, 11):
        nf.daily_update(day=date(2026, 4, day), status="sent")
    client.get("/newsletter/archive/")  # warm up anything cached per process
    with django_assert_num_queries(3):  # count, page, navigation sections
        assert client.get("/newsletter/archive/").status_code == 200


def test_archive_detail_query_count(client, django_assert_num_queries):
    """An update's page costs a fixed number of queries however many articles it lists."""
    nf.daily_update(day=date(2026, 5, 1), status="sent", articles=[f.article() for _ in range(6)])
    client.get("/newsletter/archive/")  # warm anything cached per process (the site settings)
    with django_assert_num_queries(3):  # update, articles with sections, navigation sections
        assert client.get("/newsletter/archive/2026-05-01/").status_code == 200
