"""Who is asking: the reader's network address, the network per-address limits count it by, and a
keyed hash that never stores either in the clear."""

import hashlib
import ipaddress

from django.conf import settings


def _address(value):
    """`value` as a normalised IP address, or None when it is not one (a name, a port, junk)."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket is still that IPv4 client.
    return getattr(address, "ipv4_mapped", None) or address


def client_ip(request):
    """The reader's address. Behind N trusted proxies, the Nth address from the right of X-Forwarded-For;
    a value there that is not an IP address is refused, and the peer's address used instead."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies and (address := _address(forwarded[-proxies])):
            return str(address)
    address = _address(request.META.get("REMOTE_ADDR", ""))
    return str(address) if address else ""


def client_network(request):
    """What every per-address limit counts: an IPv4 address as it is, an IPv6 address by its network of
    RATELIMIT_IPV6_PREFIX bits (a /64 is what one subscriber is usually given, so rotating addresses
    within it is one client), written as the network's first address."""
    ip = client_ip(request)
    if ":" not in ip:
        return ip
    network = ipaddress.ip_network(f"{ip}/{settings.RATELIMIT_IPV6_PREFIX}", strict=False)
    return str(network.network_address)


def fingerprint(value):
    """A keyed hash, so cache keys and stored fingerprints never hold an address in the clear."""
    return hashlib.blake2b(value.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=16).hexdigest()
