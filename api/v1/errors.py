"""The API's one error shape, {"detail": "...", "code": "..."}, for every error it answers."""

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja_extra.exceptions import APIException

from api.v1.schemas import ErrorOut

ERROR_STATUSES = (400, 401, 403, 404, 409, 422, 429)
DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}


class ApiError(Exception):
    """An answer other than success, raised by a router: its status, a message a person can read, a code."""

    def __init__(self, status: int, detail: str, code: str = "", *, headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or DEFAULT_CODES[status]
        self.headers = headers or {}


def answers(ok: dict) -> dict:
    """A route's `response=`: its successful answers and every declared error."""
    return {**ok, **dict.fromkeys(ERROR_STATUSES, ErrorOut)}


def _message(error: dict) -> str:
    place = ".".join(str(part) for part in error.get("loc", ())[1:])
    return f"{place}: {error.get('msg', 'invalid')}" if place else str(error.get("msg", "invalid"))


def form_errors(form) -> ApiError:
    """A Django form's errors as one 422 answer (the same messages as the web page)."""
    messages = []
    for field, errors in form.errors.items():
        for message in errors:
            messages.append(message if field == "__all__" else f"{field}: {message}")
    return ApiError(422, " ".join(messages), "invalid")


def install(api) -> None:
    def reply(request, status, detail, code, headers=None):
        response = api.create_response(request, {"detail": detail, "code": code}, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return reply(request, exc.status, exc.detail, exc.code, exc.headers)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        return reply(request, 422, "; ".join(_message(error) for error in exc.errors) or "Invalid input.", "invalid")

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return reply(request, 429, "Too many requests: please slow down.", "throttled")

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        return reply(
            request, 401, "Authentication credentials were not provided or are not valid.", "not_authenticated"
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        status = exc.status_code if exc.status_code in DEFAULT_CODES else 400
        return reply(request, status, str(exc), DEFAULT_CODES[status])

    @api.exception_handler(APIException)
    def library_error(request, exc):  # django-ninja-jwt's token errors
        status = exc.status_code if exc.status_code in DEFAULT_CODES else 400
        detail = exc.detail.get("detail", "") if isinstance(exc.detail, dict) else exc.detail
        code = exc.detail.get("code", "") if isinstance(exc.detail, dict) else getattr(exc, "default_code", "")
        return reply(request, status, str(detail) or "Not valid.", str(code) or DEFAULT_CODES[status])

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return reply(request, 404, "Not found.", "not_found")
