"""Limits by network: an IPv6 client rotating addresses within its /64 is one client to every per-address
limit, and forwarded values that are not IP addresses are not identities."""

from datetime import datetime, timezone

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from core.clients import client_ip, client_network
from tests.core.test_staff_signin import sign_in
from tests.support import factories as f

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 7, 10, 0, 5, tzinfo=timezone.utc)


def search(client, n, **meta):
    return client.get(reverse("articles:search"), {"q": f"lithium {n}"}, **meta)


def test_sixty_five_searches_from_one_ipv6_64_hit_the_limit(client, settings):
    """Sixty-five searches, each from a different address of one /64, are refused past the limit of
    sixty; a neighbouring /64 is still served."""
    settings.SEARCH_RATE_LIMIT = 60
    with time_machine.travel(START, tick=False):  # all within one minute's window
        answers = [search(client, n, REMOTE_ADDR=f"2001:db8:7:1::{n:x}").status_code for n in range(1, 66)]
        assert answers[:60] == [200] * 60 and answers[60:] == [429] * 5
        assert search(client, 0, REMOTE_ADDR="2001:db8:7:2::1").status_code == 200


def test_the_prefix_is_a_setting(client, settings):
    """With RATELIMIT_IPV6_PREFIX=128 each address counts alone (the old behaviour, on request)."""
    settings.SEARCH_RATE_LIMIT = 3
    settings.RATELIMIT_IPV6_PREFIX = 128
    answers = [search(client, n, REMOTE_ADDR=f"2001:db8:7:1::{n:x}").status_code for n in range(1, 6)]
    assert answers == [200] * 5


def test_junk_forwarded_values_are_not_identities(client, settings):
    """Behind one trusted proxy, a different non-address in X-Forwarded-For on each request is ignored:
    the requests count against the peer's address and are refused past the limit."""
    settings.SEARCH_RATE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 1
    with time_machine.travel(START, tick=False):
        answers = _junk_searches(client)
    assert answers == [200] * 5 + [429] * 2


def _junk_searches(client):
    return [
        search(client, n, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=junk).status_code
        for n, junk in enumerate(["a", "unknown", "203.0.113.1:80", "[::1]", "x" * 300, "1.2.3", "evil"])
    ]


def test_addresses_are_normalised(settings):
    """A forwarded address counts as itself, an IPv4 client seen over IPv6 as its IPv4 address, and an
    IPv6 client as its /64."""
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    forwarded = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert client_ip(forwarded) == "198.51.100.4"
    mapped = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=" ::ffff:198.51.100.4 ")
    assert client_network(mapped) == "198.51.100.4"
    six = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:DB8:7:1:aaaa:bbbb:cccc:dddd")
    assert client_ip(six) == "2001:db8:7:1:aaaa:bbbb:cccc:dddd" and client_network(six) == "2001:db8:7:1::"


def test_staff_sign_in_guessing_from_one_64_is_one_guesser(client, settings):
    """Wrong passwords from five addresses of one /64 lock a sixth address of it, not another network."""
    settings.AXES_FAILURE_LIMIT = 5
    f.user(username="desk")
    for n in range(1, 6):
        sign_in(client, "desk", "guess", REMOTE_ADDR=f"2001:db8:9:1::{n}")
    assert sign_in(client, "desk", REMOTE_ADDR="2001:db8:9:1::99").status_code == 429
    assert sign_in(client, "desk", REMOTE_ADDR="2001:db8:9:2::1").status_code == 302
