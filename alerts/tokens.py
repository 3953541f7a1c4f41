"""The signed links of alert e-mails: confirm (valid ALERT_CONFIRMATION_DAYS) and unsubscribe (no expiry).

An unsubscribe link carries no time: it is the same in every e-mail of an alert, in the body and in the
`List-Unsubscribe` header alike, however far apart they are written.
"""

from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe.link"
# Links sent until 2026-12-03 carried the time (signing.dumps) under this salt; they still work. A salt of its
# own for each form: under one salt, each signer would take the other's token as correctly signed.
TIMED_UNSUBSCRIBE_SALT = "alerts.unsubscribe"
CONFIRMATION_DAYS = 7


def confirm_token(alert_id: int) -> str:
    return signing.dumps(alert_id, salt=CONFIRM_SALT)


def unsubscribe_token(alert_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(alert_id)


def _alert_id(token: str, *, salt: str, max_age=None) -> int | None:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError):  # SignatureExpired included; ValueError: signed, but not a token
        return None
    return value if isinstance(value, int) else None


def confirm_alert_id(token: str) -> int | None:
    """The alert a confirmation token was made for, or None if forged or older than CONFIRMATION_DAYS."""
    return _alert_id(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRMATION_DAYS))


def unsubscribe_alert_id(token: str) -> int | None:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return _alert_id(token, salt=TIMED_UNSUBSCRIBE_SALT)  # a link sent before they carried no time
    except ValueError:  # signed, but not a token
        return None
    return value if isinstance(value, int) else None
