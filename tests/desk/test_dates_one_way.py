"""Dates and times are written one way across the admin and the site: 24-hour clock, day without a
leading zero, month by name."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from newsletter.models import DailyUpdate
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


def test_the_formats_django_uses_are_the_desks():
    """Django's own formats (admin lists, read-only fields) write "7 December 2026, 22:13", never "p.m."."""
    moment = timezone.make_aware(datetime(2026, 12, 7, 22, 13))
    assert date_format(moment, "DATETIME_FORMAT") == "7 December 2026, 22:13"
    assert date_format(moment, "SHORT_DATETIME_FORMAT") == "7 Dec 2026, 22:13"
    assert date_format(moment.date(), "DATE_FORMAT") == "7 December 2026"


def test_admin_pages_write_times_the_same_way(client):
    """The article list's schedule and a sent update's finishing time use the day without a leading zero
    and the 24-hour clock."""
    client.force_login(f.user(group="Editors"))
    moment = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=7, minute=5)
    f.article(publish_at=moment)
    articles = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f"Scheduled {moment.day} {moment:%b %Y}, 07:05" in articles
    sent_at = timezone.make_aware(datetime(2026, 12, 9, 22, 11))
    nf.daily_update(status=DailyUpdate.Status.SENT, sent_at=sent_at)
    updates = client.get(reverse("admin:newsletter_dailyupdate_changelist")).content.decode()
    assert "p.m." not in updates and "a.m." not in updates
    update = DailyUpdate.objects.get(sent_at=sent_at)
    page = client.get(reverse("admin:newsletter_dailyupdate_change", args=[update.pk])).content.decode()
    assert "9 December 2026, 22:11" in page and "Sent; finished at 22:11 on 9 Dec." in page
