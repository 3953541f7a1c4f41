"""Flood limits for the e-mails a visitor can make the shop send: sign-up, confirmation and password reset.

Counts live in Django's cache, in one-hour windows: Redis (CACHE_URL=redis://...) increments atomically, so
every app server shares them; the default local-memory cache counts per process. Over a limit the caller
answers exactly as usual and sends nothing, so the limit tells nobody which addresses have accounts.
"""

import hashlib
import logging
import time

from django.conf import settings

from petshop.counting import count_hit

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60 * 60


def _hit(kind: str, value: str) -> int:
    """Count one more request for `value` in the current window and return the count."""
    window = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]  # addresses are not kept in the cache as they are
    return count_hit(f"email-limit:{kind}:{digest}:{window}", WINDOW_SECONDS + 60)


def email_allowed(*, email: str, ip: str) -> bool:
    """Count one account e-mail asked for, to `email` from `ip`; False when either is over its hourly limit."""
    if _hit("ip", ip) > settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR:
        logger.warning("account e-mail refused: too many from one client address")
        return False
    if _hit("to", email.strip().lower()) > settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR:
        logger.warning("account e-mail refused: too many to one address")
        return False
    return True
