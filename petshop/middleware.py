"""Request-wide middleware: an id that the logs carry, and the refusal of NUL characters."""

import re
import uuid

from django.http import HttpResponseBadRequest, JsonResponse

from petshop.logging import request_id_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Tags every request with an id that the logs carry (taken from X-Request-ID when a proxy sets one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(*texts: str) -> bool:
    return any("\x00" in text for text in texts)


def _fields_have_nul(fields) -> bool:
    """A QueryDict (GET, POST) or a plain dict (cookies, headers) with NUL in a name or a value."""
    items = fields.lists() if hasattr(fields, "lists") else ((name, [value]) for name, value in fields.items())
    return any(_has_nul(name, *values) for name, values in items)


NUL_REFUSED = "The request contains a NUL character."


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query, form fields, cookies or headers.

    PostgreSQL text cannot hold NUL, so such a value reaching any query (an order reference in the URL, a
    search term, a session cookie, the user agent axes records) fails with a DataError, a 500. No browser
    sends one of its own accord; refusing it here covers every view at once, whatever reads the value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.has_nul(request):
            if request.path_info.startswith("/api/"):  # the JSON API's one error shape
                return JsonResponse({"detail": NUL_REFUSED, "code": "bad_request"}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def has_nul(request) -> bool:
        if _has_nul(request.path_info) or _fields_have_nul(request.GET):
            return True
        if _fields_have_nul(request.COOKIES) or _fields_have_nul(request.headers):
            return True
        # Only form bodies are parsed here: a JSON body (the Stripe webhook) stays unread for its view.
        return (
            request.method == "POST" and request.content_type in FORM_CONTENT_TYPES and _fields_have_nul(request.POST)
        )
