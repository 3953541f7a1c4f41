"""How django-axes names the account behind a log-in attempt (settings.AXES_USERNAME_CALLABLE).

E-mail addresses log in whatever their letter case, so failures are counted on the lowercased address:
otherwise `Robin@Example.com` and `robin@example.com` would each get their own five attempts.
"""


def lockout_username(request, credentials) -> str:
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if isinstance(username, str) else ""
