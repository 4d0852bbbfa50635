import pytest

from newsletter import emails
from tests.support import factories_newsletter as nf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("build", ["confirmation_message", "already_subscribed_message", "welcome_message"])
def test_html_part_carries_its_own_styles(build):
    """Mail clients never load the site's stylesheet, so the HTML part brings the house look with it."""
    html = getattr(emails, build)(nf.subscriber()).alternatives[0].content
    assert "<style>" in html and 'class="mail-body"' in html


def test_a_wire_copy_is_the_message_built_the_usual_way(settings):
    """A digest copy made by replacing markers in bytes built once carries the same headers and parts as the
    message Django builds for that reader, with the reader's own working links."""
    import email
    import email.policy
    import re

    from django.core.mail import get_connection

    from newsletter import selectors, subscriptions, tokens
    from newsletter.models import Delivery
    from tests.support import factories as f

    reader = nf.subscriber(email="wire@example.org")
    update = nf.daily_update(articles=[f.article(title="Gallium licences")], audience=[reader])
    delivery = Delivery.objects.select_related("daily_update", "subscriber").get()
    rendered = emails.render_digest(update, list(selectors.update_articles(update)))
    copies = emails.DigestCopies(update, rendered)
    assert copies.wire is not None
    fast = email.message_from_bytes(copies.copy(delivery), policy=email.policy.default)
    usual = emails.digest_message(delivery, rendered, connection=get_connection()).message()
    usual = email.message_from_bytes(usual.as_bytes(), policy=email.policy.default)
    token = re.compile(r"(unsubscribe/|topics/|unsubscribe%20)[^/\s>\"]+")
    for name in (
        "Subject",
        "From",
        "To",
        "Message-ID",
        "List-Id",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "List-Archive",
        "Precedence",
        "Auto-Submitted",
        "Content-Type",
    ):
        assert (
            token.sub(r"\1T", str(fast[name])).split(";")[0]
            == token.sub(r"\1T", str(usual[name])).split(";")[0]
        )
    for kind in ("plain", "html"):
        fast_part, usual_part = (m.get_body(preferencelist=(kind,)).get_content() for m in (fast, usual))
        assert token.sub(r"\1T", fast_part).replace("\r\n", "\n") == token.sub(r"\1T", usual_part)
    for purpose, found in (
        (tokens.UNSUBSCRIBE, re.search(r"unsubscribe/([^/]+)/one-click", fast["List-Unsubscribe"])),
        (tokens.TOPICS, re.search(r"topics/([^/\s]+)/", fast.get_body(("plain",)).get_content())),
    ):
        assert subscriptions.subscriber_for_token(purpose=purpose, token=found.group(1)) == reader


def test_each_story_carries_its_lead_source_and_owner(django_assert_max_num_queries):
    """The daily update says who each story's lead source is and who owns it, as the article page does,
    in both parts, fetching the citations of all the stories in one query."""
    from newsletter import selectors
    from tests.support import factories as f

    outlet = f.source(name="Xinhua", kind="state_media", owner="State Council of the PRC")
    led = f.article(title="Gallium licences", sources=[outlet])
    unsourced = f.article(title="A desk note")
    update = nf.daily_update(articles=[led, unsourced], audience=[nf.subscriber()])
    articles = list(selectors.update_articles(update))
    with django_assert_max_num_queries(3):  # the citations, the material corrections, nothing per story
        text, html = emails.render_digest(update, articles)
    assert "Source: Xinhua, state media, owned by State Council of the PRC" in text
    assert "Xinhua</a>, state media, owned by State Council of the PRC" in html
    assert text.count("Source:") == 1
