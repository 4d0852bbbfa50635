"""Machine-readable times through one rule (core.meta.iso_datetime), so no page nobody checked can write
microseconds into a <time datetime> again."""

import re
from datetime import date, datetime
from datetime import timezone as dt_timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from comments.models import Comment
from core.meta import iso_datetime
from tests.support import factories as f
from tests.support import factories_comments as cf

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TIME_ATTRIBUTE = re.compile(r'<time\b[^>]*\bdatetime="([^"]*)"')


def test_every_time_element_in_every_template_goes_through_iso_datetime():
    """A static check of templates/, mails included: each <time datetime> value is `{{ …|iso_datetime }}`."""
    found = []
    for template in TEMPLATES.rglob("*.html"):
        for value in TIME_ATTRIBUTE.findall(template.read_text()):
            found.append(template.name)
            assert re.fullmatch(r"\{\{ [\w.]+\|iso_datetime \}\}", value), f"{template}: {value}"
    assert len(found) >= 8, found  # the check looks where the times are


def test_iso_datetime_is_to_the_second_in_the_sites_zone(settings):
    """Microseconds dropped, the site's offset kept; a date stays a date; nothing gives nothing."""
    settings.TIME_ZONE = "Asia/Tokyo"
    moment = datetime(2026, 11, 29, 0, 8, 9, 889667, tzinfo=dt_timezone.utc)
    assert iso_datetime(moment) == "2026-11-29T09:08:09+09:00"
    assert iso_datetime(date(2026, 11, 29)) == "2026-11-29"
    assert iso_datetime(None) == ""


@pytest.mark.django_db
def test_comment_times_carry_no_microseconds(client):
    """Comments are stamped with microseconds (auto_now_add); their <time> on the article page has none."""
    article = f.article()
    comment = cf.comment(article=article, status=Comment.Status.APPROVED)
    assert comment.created_at.microsecond or Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now().replace(microsecond=889667)
    )
    comment.refresh_from_db()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<time datetime="{iso_datetime(comment.created_at)}">' in page
    assert not re.search(r'datetime="[^"]*\.\d', page)
