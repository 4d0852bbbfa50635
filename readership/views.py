"""The beacon endpoint (one POST per article view, answered with 204 and no body), the daily update's
click redirect, and the privacy page that says what both count."""

import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from core.clients import client_ip, client_network
from core.crossorigin import same_origin_required
from core.ratelimit import allow, limited
from readership import beacon, clicks, readers, stores


def no_content():
    return HttpResponse(status=204)


# Live articles this process found lately, so a much-read story's beacons cost no query each. An article
# that goes live is counted at once (only live answers are kept); one taken down is still counted here
# for at most LIVE_SECONDS.
LIVE_SECONDS = 10
_live_until = {}


def is_live(article_id):
    now = time.time()
    if _live_until.get(article_id, 0.0) > now:
        return True
    if not Article.objects.published().filter(pk=article_id).exists():
        return False
    if len(_live_until) >= 10_000:  # ids are the readers' to choose: keep the memo small
        _live_until.clear()
    _live_until[article_id] = now + LIVE_SECONDS
    return True


# Without CSRF token by design: the page that sends it is cached for everyone, so it carries no token,
# and the beacon reads no cookie and changes nothing a forger could use: at most one more count, which
# the rate limit bounds. same_origin_required still refuses a beacon another site's page sends.
@never_cache
@require_POST
@same_origin_required
def beacon_view(request):
    """Count one read of an article, or not: every answer but a refusal is 204, so a page learns nothing."""
    if beacon.opted_out(request):
        return no_content()
    user_agent = request.headers.get("User-Agent", "")
    if beacon.is_prefetch(request) or beacon.is_bot(user_agent):
        return no_content()
    address = client_ip(request)  # the reader's own address, for the day's hash of unique readers
    refusal = limited(
        request,
        "beacon",
        client_network(request),  # limits count an IPv6 client by its network, as every limit does
        limit=settings.READERSHIP_BEACON_RATE,
        window=60,
        message="Too many pages read in a minute.",
    )
    if refusal is not None:
        return refusal
    try:
        article_id = int(request.POST.get("article", ""))
    except ValueError:
        return no_content()
    if not 0 < article_id < 2**63 or not is_live(article_id):
        return no_content()
    day, hour = readers.day_and_hour()
    stores.store().record(
        article_id=article_id,
        day=day,
        hour=hour,
        referrer=beacon.referring_host(request.POST.get("from", "")),
        digest=readers.reader_digest(day=day, address=address, user_agent=user_agent),
    )
    return no_content()


@never_cache
@require_http_methods(["GET", "HEAD"])
def click_view(request, token):
    """Count a click on a daily update's link to an article and send the reader to the article at once."""
    try:
        payload = clicks.read(token)
    except clicks.InvalidLink:
        return render(request, "404.html", status=404)
    article = Article.objects.published().filter(pk=payload["a"]).first()
    if article is None:  # taken down since the update went out
        return HttpResponseRedirect(reverse("articles:front-page"))
    counted = not beacon.opted_out(request) and allow(
        "click", client_network(request), limit=settings.READERSHIP_BEACON_RATE, window=60
    )
    if counted:
        clicks.count(payload=payload, scanner=clicks.is_scanner(request, payload["t"]))
    return HttpResponseRedirect(article.get_absolute_url())
