"""Which beacons count: not a browser that asked not to be tracked, not a prefetch or prerender nobody
has looked at yet, not a known robot. Each rule is a reason, so tests and logs can say why."""

import re
from urllib.parse import urlsplit

# Robots, crawlers, link previewers, monitors and HTTP libraries: a read is a person's. Matched
# anywhere in the user agent, case-insensitively; an empty user agent is no browser either.
BOT_AGENTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|fetch|preview|monitor|scan|headless|lighthouse|"
    r"facebookexternalhit|embedly|whatsapp|telegram|skype|bingpreview|yahoo!|"
    r"curl/|wget/|python-|python/|httpx|aiohttp|okhttp|go-http-client|java/|libwww|"
    r"node-fetch|axios|postman|insomnia|apache-httpclient|phantomjs|selenium|playwright|puppeteer",
    re.IGNORECASE,
)

PREFETCH_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")


def opted_out(request):
    """The browser sends Do Not Track or Global Privacy Control: the reader is not counted at all."""
    return request.headers.get("DNT", "").strip() == "1" or request.headers.get("Sec-GPC", "").strip() == "1"


def is_prefetch(request):
    """A speculative load (prefetch, prerender, preview) rather than a reader opening the page."""
    return any(
        word in request.headers.get(name, "").lower()
        for name in PREFETCH_HEADERS
        for word in ("prefetch", "prerender", "preview")
    )


def is_bot(user_agent):
    return not user_agent.strip() or bool(BOT_AGENTS.search(user_agent))


def referring_host(value):
    """The host name of the page the reader came from, without a leading "www." (empty when none or
    unreadable); nothing else of the address is kept."""
    value = (value or "")[:2048].strip()  # the host comes first; nothing past 2 kB is read
    if not value:
        return ""
    if "//" in value:
        try:
            host = urlsplit(value).hostname or ""
        except ValueError:
            return ""
    else:  # the page's script sends the host alone
        host = value
    host = host.lower().removeprefix("www.")
    if not re.fullmatch(r"[a-z0-9.-]{1,100}", host):
        return ""
    return host
