"""The client's address, the one way: behind the municipality's reverse proxy the peer is the
proxy, so the address comes from ``X-Forwarded-For``, but only when the peer is one of
``settings.CSR_TRUSTED_PROXIES`` (anyone can send the header; believing it from anyone would let
a client pick the address that axes locks out or a rate limit counts).

Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) and by every django-ratelimit ``key="ip"``
(``RATELIMIT_IP_META_KEY``), so no view needs to know about proxies.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network,
                                                  ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.CSR_TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The client's IP address as text.

    Walks ``X-Forwarded-For`` from the right (the entry the nearest proxy added) past every
    trusted proxy, and returns the first address that is not one; with an untrusted peer the
    header is ignored and the peer (``REMOTE_ADDR``) is the client. A malformed entry stops the
    walk at the last trusted hop, so a forged header never yields an arbitrary string.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(peer):
        return peer
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if item.strip()]
    address = peer
    for hop in reversed(forwarded):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        address = hop
        if not _is_trusted(hop):
            break
    return address


def client_ip_for_axes(request) -> str:
    """django-axes' ``AXES_CLIENT_IP_CALLABLE``: ``client_ip``."""
    return client_ip(request)
