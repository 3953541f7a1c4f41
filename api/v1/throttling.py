"""Request rates: per client address for every request, and per user for requests with a token.

A rate such as "120/min" allows that many requests in each minute of the clock, counted in Django's cache as
accounts/email_limits.py counts e-mails (`petshop.counting.count_hit`): one number per client and window,
incremented (atomically with Redis), so every app server shares the count. Ninja's SimpleRateThrottle keeps
instead the time of every request of the last minute in one cache entry, read and written whole by every
request: its cost grows with the rate allowed (a generous rate, or the benchmark's, made it a large part of
a catalogue request).
"""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

from petshop.clients import client_ip
from petshop.counting import count_hit


class SettingRateThrottle(SimpleRateThrottle):
    """The rate comes from a setting, read at each request (so a changed setting applies at once)."""

    setting = ""

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request):
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        key = self.get_cache_key(request)
        if key is None:
            return True
        window = int(self.timer() // self.duration)
        return count_hit(f"{key}:{window}", self.duration, cache=self.cache) <= self.num_requests

    def wait(self):
        """Seconds until the count starts again, with the next window."""
        return self.duration - self.timer() % self.duration


class AddressThrottle(SettingRateThrottle):
    scope = "api-address"
    setting = "API_THROTTLE_ANON"

    def get_cache_key(self, request):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class UserThrottle(SettingRateThrottle):
    scope = "api-user"
    setting = "API_THROTTLE_USER"

    def get_cache_key(self, request):
        user_id = getattr(getattr(request, "auth", None), "pk", None)
        return None if user_id is None else self.cache_format % {"scope": self.scope, "ident": user_id}
