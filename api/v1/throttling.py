"""Request rates: per client address for every request, and per user for requests with a token."""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class SettingRateThrottle(SimpleRateThrottle):
    """The rate comes from a setting, read at each request (so a changed setting applies at once)."""

    setting = ""

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AddressThrottle(SettingRateThrottle):
    scope = "api-address"
    setting = "API_THROTTLE_ANON"

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(SettingRateThrottle):
    scope = "api-user"
    setting = "API_THROTTLE_USER"

    def get_cache_key(self, request):
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        return None if user_id is None else self.cache_format % {"scope": self.scope, "ident": user_id}
