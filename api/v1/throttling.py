"""Request rates: per client address for every request, and per user for requests with a token."""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class AddressThrottle(SimpleRateThrottle):
    scope = "api-address"

    def __init__(self):
        super().__init__(settings.API_THROTTLE_ANON)

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(SimpleRateThrottle):
    scope = "api-user"

    def __init__(self):
        super().__init__(settings.API_THROTTLE_USER)

    def get_cache_key(self, request):
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        return None if user_id is None else self.cache_format % {"scope": self.scope, "ident": user_id}
