"""The signed link that confirms a new account's e-mail address (valid ACCOUNT_CONFIRMATION_DAYS).

The token carries the user's id and a fingerprint of their password hash, address and verification time: it
stops working once the address is confirmed (single use), or when the password or address changes.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

SALT = "accounts.email-confirmation"


def _fingerprint(user: User) -> str:
    state = f"{user.pk}:{user.password}:{user.email}:{user.email_verified_at}"
    return salted_hmac(SALT, state, algorithm="sha256").hexdigest()[:32]


def email_confirmation_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "state": _fingerprint(user)}, salt=SALT)


def email_confirmation_user(token: str) -> User | None:
    """The user a confirmation token was made for, or None if it is forged, expired or already used."""
    max_age = timedelta(days=settings.ACCOUNT_CONFIRMATION_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int) or not isinstance(data.get("state"), str):
        return None
    user = User.objects.filter(pk=data["user"]).first()
    if user is None or not constant_time_compare(_fingerprint(user), data["state"]):
        return None
    return user
