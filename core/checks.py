"""Checks the deploy check runs (`manage.py check --deploy`): a configured service that cannot be
reached, and a public address (SITE_URL) that readers and crawlers could not use.

Start-up already refuses a production configuration without SITE_URL or with one that is no address
(newsroom/settings.py).
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host

LOCAL_NAMES = ("localhost", "localhost.localdomain")


@register(Tags.caches, deploy=True)
def check_redis_reachable(app_configs, **kwargs):
    from django.core.cache import caches

    from core.cache import ResilientRedisCache

    problems = []
    for alias in caches:
        cache = caches[alias]
        if isinstance(cache, ResilientRedisCache) and not cache.ping():
            problems.append(
                Warning(
                    f"REDIS_URL is set but Redis at {cache.location} cannot be reached.",
                    hint="Start Redis or fix REDIS_URL; until then rate limits and the page cache use each "
                    "process's own memory.",
                    id="newsroom.W001",
                )
            )
    return problems


def _is_local(host):
    if host in LOCAL_NAMES or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified or address.is_link_local


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    site = urlsplit(settings.SITE_URL)
    host = site.hostname or ""
    errors = []
    if site.scheme != "https":
        errors.append(
            Error(
                f"SITE_URL ({settings.SITE_URL}) is not https.",
                hint=(
                    "Canonical links, feeds, sitemaps and mail would send readers to plain http. "
                    "Use the https address."
                ),
                id="core.E001",
            )
        )
    if _is_local(host):
        errors.append(
            Error(
                f"SITE_URL ({settings.SITE_URL}) names this machine, not the public site.",
                hint=(
                    "Links in pages, feeds, sitemaps, robots.txt and mail would point at it. "
                    "Set the public address."
                ),
                id="core.E002",
            )
        )
    if host and not validate_host(host, settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"SITE_URL's host ({host}) is not in DJANGO_ALLOWED_HOSTS.",
                hint="Every link the site makes would be refused with 400 Bad Request. Add the host.",
                id="core.E003",
            )
        )
    return errors
