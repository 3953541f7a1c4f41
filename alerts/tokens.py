"""The signed links of alert e-mails: confirm (valid ALERT_CONFIRMATION_DAYS) and unsubscribe (no expiry)."""

from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
CONFIRMATION_DAYS = 7


def confirm_token(alert_id: int) -> str:
    return signing.dumps(alert_id, salt=CONFIRM_SALT)


def unsubscribe_token(alert_id: int) -> str:
    return signing.dumps(alert_id, salt=UNSUBSCRIBE_SALT)


def _alert_id(token: str, *, salt: str, max_age=None) -> int | None:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return value if isinstance(value, int) else None


def confirm_alert_id(token: str) -> int | None:
    """The alert a confirmation token was made for, or None if forged or older than CONFIRMATION_DAYS."""
    return _alert_id(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRMATION_DAYS))


def unsubscribe_alert_id(token: str) -> int | None:
    return _alert_id(token, salt=UNSUBSCRIBE_SALT)
