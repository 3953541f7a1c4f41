"""Who is calling: a JWT bearer token, never the session cookie (so no CSRF exposure)."""

from ninja_jwt.authentication import JWTAuth

bearer = JWTAuth()


class Guest:
    """The caller of a route open to guests who sent no token (an invalid token is still a 401)."""

    pk = None


GUEST = Guest()


def guest(request):
    return GUEST


user_or_guest = [bearer, guest]
# How the schema says a bearer token is optional on a route open to guests (an empty requirement).
GUESTS_WELCOME = {"security": [{"JWTAuth": []}, {}]}


def optional_user(request):
    """The token's user, or None for a guest."""
    auth = getattr(request, "auth", None)
    return None if auth is None or auth is GUEST else auth
