"""Clicks on the daily update's links: each article link in the update goes through /r/<token>/, which
counts the click for the update and the article (never for the subscriber: every copy of the update
carries the same link) and sends the reader on at once.

The newsletter knows nothing of this module: NEWSLETTER_LINK_WRAPPER names `wrap`, which the newsletter
calls for each article link it puts in an update. The token is signed (Django's signing, with the
site's secret key), so only links an update actually carried are answered, and it names an article,
never an address: the reader is sent to that article's own page, so the redirect cannot be used to send
anyone elsewhere.

Link scanners (mail filters that fetch every link of a message as it arrives) are counted apart: a HEAD
request, a known scanner's user agent, or a click within READERSHIP_SCANNER_SECONDS of the link being
made, which is when the update was being sent.
"""

import re
import time
from datetime import date

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse

from core.site import absolute_url
from readership.beacon import is_bot
from readership.models import NewsletterClicks

SALT = "readership.click"

SCANNER_AGENTS = re.compile(
    r"barracuda|proofpoint|mimecast|safelinks|safe links|urldefense|symantec|forcepoint|trend ?micro|"
    r"sophos|fortiguard|checkpoint|zscaler|cisco|ironport|mailscanner|microsoft office|ms-office|"
    r"outlook-ios|googleimageproxy|yahoomailproxy",
    re.IGNORECASE,
)


class InvalidLink(Exception):
    """The token was not made by this site for an update's link, or has been altered."""


def wrap(url, *, daily_update, article):
    """The link to put in `daily_update` for `article` (whose own address is `url`)."""
    token = signing.dumps(
        {"u": daily_update.pk, "d": daily_update.date.isoformat(), "a": article.pk, "t": int(time.time())},
        salt=SALT,
        compress=True,
    )
    return absolute_url(reverse("readership:click", args=[token]))


def read(token):
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise InvalidLink(str(error)) from error
    if not isinstance(payload, dict) or not all(isinstance(payload.get(key), int) for key in ("u", "a", "t")):
        raise InvalidLink("Malformed link.")
    try:
        date.fromisoformat(payload.get("d"))
    except (TypeError, ValueError) as error:
        raise InvalidLink("Malformed link.") from error
    return payload


def is_scanner(request, made_at):
    agent = request.headers.get("User-Agent", "")
    return (
        request.method == "HEAD"
        or bool(SCANNER_AGENTS.search(agent))
        or is_bot(agent)
        or time.time() - made_at < settings.READERSHIP_SCANNER_SECONDS
    )


def count(*, payload, scanner):
    """Add one click (or one scanner's) to the update's link."""
    field = "scanner_clicks" if scanner else "clicks"
    keys = {"update_id": payload["u"], "article_id": payload["a"]}
    if not NewsletterClicks.objects.filter(**keys).update(**{field: F(field) + 1}):
        row, created = NewsletterClicks.objects.get_or_create(
            **keys, defaults={"update_date": payload["d"], field: 1}
        )
        if not created:
            NewsletterClicks.objects.filter(pk=row.pk).update(**{field: F(field) + 1})
