"""The log-in lock-out (django-axes): whose failures count, what a success clears, and current-password checks.

E-mail addresses log in whatever their letter case, so failures are counted on the lowercased address:
otherwise `Robin@Example.com` and `robin@example.com` would each get their own five attempts.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.contrib.auth import authenticate

# AccessAttempt.username holds 255 characters; no e-mail address is longer than 254 (RFC 3696 errata, Django's
# EmailField). A longer "address" is cut, so it is still counted (and locked) instead of failing the insert.
USERNAME_MAX_LENGTH = 254


def lockout_username(request, credentials) -> str:
    """How axes names the account behind a log-in attempt (settings.AXES_USERNAME_CALLABLE)."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower()[:USERNAME_MAX_LENGTH] if isinstance(username, str) else ""


class AccountLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful log-in clears the failures of that account only.

    Axes' own reset deletes every failure matching the username *or* the client address (with
    AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]), so an attacker who logs in to their own account
    between guesses wipes the failures they piled up against someone else's from the same address.
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = lockout_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def current_password_ok(request, user, password: str) -> bool:
    """Check a logged-in customer's current password the way a log-in does.

    A wrong password counts toward the same lock-out as the log-in page (axes hears of it through
    `user_login_failed`), and while the account or the address is locked out no password is accepted;
    axes' middleware then answers with the lock-out page.
    """
    return authenticate(request, username=user.get_username(), password=password or "") == user
