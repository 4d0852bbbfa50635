"""The beacon endpoint: one POST per article view, answered with 204 and no body."""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.models import Article
from core.clients import client_ip
from core.crossorigin import same_origin_required
from core.ratelimit import limited
from readership import beacon, readers, stores

logger = logging.getLogger(__name__)


def no_content():
    return HttpResponse(status=204)


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
    address = client_ip(request)
    refusal = limited(
        request,
        "beacon",
        address,
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
    if not 0 < article_id < 2**63 or not Article.objects.published().filter(pk=article_id).exists():
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
