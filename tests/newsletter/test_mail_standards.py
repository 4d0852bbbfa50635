"""The daily update and the other mails as a demanding reader and RFC 5322 see them: the site named once at
the top, a first update that does not count from a last one, and Date headers with a real zone."""

import email
import email.policy
import email.utils
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone

from newsletter import emails, selectors
from newsletter.daily_updates import daily_update_build, daily_update_subject
from newsletter.models import DailyUpdate, Delivery
from tests.support import factories as f
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db

NUMERIC_ZONE = re.compile(r" [+-]\d{4}$")


def built_update(day, *titles):
    for n, title in enumerate(titles):
        f.article(title=title, publish_at=timezone.make_aware(datetime.combine(day, time(6 + n))))
    update, created = daily_update_build(date=day)
    assert created
    return update


def text_before_first_article(html):
    return html[: html.index("<h2")]


def test_digest_names_the_site_once_at_the_top():
    """The masthead names the site; the heading under it is "Daily update, <date>", not the site again."""
    day = date(2026, 11, 20)
    update = nf.daily_update(
        day=day, subject=daily_update_subject(day), articles=[f.article(title="Gallium licences")]
    )
    text, html = emails.render_digest(update, list(selectors.update_articles(update)))
    top = text_before_first_article(html.split("<body>", 1)[1])
    assert top.count(settings.SITE_NAME) == 1
    assert "<h1>Daily update, 20 November 2026</h1>" in top
    assert (
        text.splitlines()[0] == f"{settings.SITE_NAME} daily update, 20 November 2026"
    )  # the text part has no masthead


def test_an_editors_subject_is_kept_as_the_heading():
    """A subject an editor wrote without the site's name is the heading as written."""
    update = nf.daily_update(subject="Gallium week", articles=[f.article()])
    assert update.heading == "Gallium week"
    assert DailyUpdate(subject=f"{settings.SITE_NAME}: gallium week").heading == "Gallium week"


def test_the_first_update_does_not_count_from_a_last_one():
    """The very first update welcomes its readers; the next one counts what is new since it."""
    first = built_update(date(2026, 11, 20), "Gallium licences")
    assert first.intro == "Welcome to the first daily update, with 1 new article."
    assert "since the last update" not in first.intro
    DailyUpdate.objects.filter(pk=first.pk).update(status=DailyUpdate.Status.SENT)
    second = built_update(date(2026, 11, 21), "Nickel smelters", "Lithium brine")
    assert second.intro == "2 new articles since the last update."


def test_an_update_after_only_missed_drafts_is_still_the_first():
    """Drafts that never went out do not make a later update the second: nobody got a "last update"."""
    built_update(date(2026, 11, 20), "Gallium licences")
    later = built_update(date(2026, 11, 22), "Nickel smelters")
    assert DailyUpdate.objects.get(date=date(2026, 11, 20)).status == DailyUpdate.Status.MISSED
    assert later.intro == "Welcome to the first daily update, with 2 new articles."


def every_newsletter_mail():
    reader = nf.subscriber(email="dates@example.org")
    update = nf.daily_update(articles=[f.article()], audience=[reader])
    delivery = Delivery.objects.select_related("daily_update", "subscriber").get()
    rendered = emails.render_digest(update, list(selectors.update_articles(update)))
    built = [
        emails.confirmation_message(reader),
        emails.welcome_message(reader),
        emails.already_subscribed_message(reader),
        emails.digest_message(delivery, rendered, connection=get_connection()),
        emails.preview_message(update, list(selectors.update_articles(update)), "editor@example.org"),
    ]
    messages = [email.message_from_bytes(m.message().as_bytes(), policy=email.policy.default) for m in built]
    wire = emails.DigestCopies(update, rendered).copy(delivery)
    return messages + [email.message_from_bytes(wire, policy=email.policy.default)]


def test_every_mail_is_dated_with_a_real_zone():
    """Date headers carry the site's offset ("+0000"), never "-0000" (RFC 5322: zone unknown)."""
    for message in every_newsletter_mail():
        stamp = message["Date"]
        assert NUMERIC_ZONE.search(stamp) and not stamp.endswith("-0000"), stamp
        moment = email.utils.parsedate_to_datetime(stamp)
        assert moment.utcoffset() == timedelta(0)
        assert abs(moment - timezone.now()) < timedelta(minutes=5)


def test_mail_dates_follow_the_sites_time_zone(settings):
    """With TIME_ZONE set elsewhere the Date header is written in that zone, with its offset."""
    settings.TIME_ZONE = "Asia/Tokyo"
    for message in every_newsletter_mail():
        assert message["Date"].endswith(" +0900"), message["Date"]
