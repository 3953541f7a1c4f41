"""The client's address, as every per-address limit sees it: the log-in lock-out (django-axes, through
AXES_CLIENT_IP_CALLABLE), the e-mail flood limits and the API's per-address throttle.

Without a proxy (NUM_PROXIES=0) it is REMOTE_ADDR, and X-Forwarded-For is ignored: anybody can send that header.
Behind NUM_PROXIES proxies that each append the address they received the request from, the client's address is
the NUM_PROXIES-th from the right of X-Forwarded-For: the one the outermost proxy saw, which the client cannot
forge (what it writes itself lies further left).
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not settings.NUM_PROXIES or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",")]
    candidate = addresses[-min(settings.NUM_PROXIES, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: a proxy that does not write the header as expected
        return remote_addr
