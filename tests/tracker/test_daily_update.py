"""The daily update's "Measures" section, plugged in through NEWSLETTER_SECTIONS: changes since the last
update on the subscriber's topics, deadlines of the next seven days, drafts left out, and a tracker
change as news enough for a day with no article."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from newsletter import daily_updates
from newsletter.models import DailyUpdate
from tests.support import factories_newsletter as nf
from tests.tracker import factories
from tracker.models import Measure, MeasureEvent

pytestmark = pytest.mark.django_db
Kind = MeasureEvent.Kind
DAY = date(2026, 11, 7)


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def send():
    call_command("send_daily_update", "--date", DAY.isoformat(), stdout=StringIO(), stderr=StringIO())


def test_subscribers_get_changes_and_deadlines_on_their_topics(mailoutbox):
    """The rare-earths subscriber reads the measure's change and "suspension ends in 3 days"; the
    lithium subscriber, whose topics it is not on, does not."""
    rare_earths, lithium = factories.mineral(name="Rare earths"), factories.mineral(name="Lithium")
    with time_machine.travel(at(DAY, 8), tick=False):
        factories.article(minerals=[rare_earths, lithium], publish_at=at(DAY, 7))
        factories.measure(
            title="Rare earth controls",
            minerals=[rare_earths],
            events=[(Kind.SUSPENDED, date(2025, 11, 10), {"until": DAY + timedelta(days=3)})],
        )
        factories.measure(title="Draft lithium rule", minerals=[rare_earths], status=Measure.Status.DRAFT)
    follower = nf.subscriber(minerals=[rare_earths])
    other = nf.subscriber(minerals=[lithium])
    with time_machine.travel(at(DAY, 23), tick=False):
        send()
    mails = {mail.to[0]: mail for mail in mailoutbox}
    text = mails[follower.email].body
    assert "Measures" in text and "Rare earth controls: Suspended since 10 November 2025" in text
    assert "Rare earth controls: suspension ends in 3 days" in text
    assert "Changed: Recorded" in text
    assert "Draft lithium rule" not in text
    html = mails[follower.email].alternatives[0][0]
    assert "suspension ends in 3 days" in html
    assert "Rare earth controls" not in mails[other.email].body


def test_a_tracker_change_is_news_for_a_day_without_articles():
    """With no new article, a published tracker change still makes the day's update; a draft does not."""
    with time_machine.travel(at(DAY, 9), tick=False):
        factories.measure(status=Measure.Status.DRAFT)
    with time_machine.travel(at(DAY, 23), tick=False):
        assert daily_updates.daily_update_build(date=DAY) == (None, False)
    with time_machine.travel(at(DAY, 10), tick=False):
        factories.measure(title="Gallium licensing", events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    with time_machine.travel(at(DAY, 23), tick=False):
        update, created = daily_updates.daily_update_build(date=DAY)
    assert created and update.intro.startswith("No new articles since the last update")
    assert DailyUpdate.objects.count() == 1


def test_changes_before_the_last_update_are_not_repeated(mailoutbox):
    """A change recorded before the previous update's window ended is not in today's section."""
    mineral = factories.mineral()
    with time_machine.travel(at(DAY - timedelta(days=2), 9), tick=False):
        factories.measure(title="Old change", minerals=[mineral], events=[(Kind.IN_FORCE, date(2023, 8, 1))])
    nf.daily_update(day=DAY - timedelta(days=1), status=DailyUpdate.Status.SENT, window_end=at(DAY, 0))
    with time_machine.travel(at(DAY, 8), tick=False):
        factories.article(minerals=[mineral], publish_at=at(DAY, 7))
    nf.subscriber(minerals=[mineral])
    with time_machine.travel(at(DAY, 23), tick=False):
        send()
    assert mailoutbox and "Old change" not in mailoutbox[0].body


def test_a_subscriber_with_only_measures_on_their_topics_is_mailed(mailoutbox):
    """On a day whose one story is not on a subscriber's topics, a measure change that is still mails them
    the update with its Measures section and no story; a subscriber with neither gets nothing."""
    rare_earths, lithium, cobalt = (
        factories.mineral(name=name) for name in ("Rare earths", "Lithium", "Cobalt")
    )
    with time_machine.travel(at(DAY, 8), tick=False):
        factories.article(title="Lithium brine output", minerals=[lithium], publish_at=at(DAY, 7))
        factories.measure(
            title="Rare earth controls", minerals=[rare_earths], events=[(Kind.IN_FORCE, date(2025, 4, 4))]
        )
    follower = nf.subscriber(minerals=[rare_earths])
    nobody = nf.subscriber(minerals=[cobalt])
    with time_machine.travel(at(DAY, 23), tick=False):
        send()
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert "Rare earth controls" in mails[follower.email].body
    assert "Lithium brine output" not in mails[follower.email].body
    assert nobody.email not in mails
