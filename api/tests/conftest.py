import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory
from orders.tests.conftest import buyer_details

API = "/api/v1"


class ApiClient:
    """JSON in, JSON out, with an optional bearer token; never a session cookie sent by the API's callers."""

    def __init__(self, token: str = ""):
        self.client = Client(enforce_csrf_checks=True)
        self.token = token

    def call(self, method, path, body=None, headers=None, **query):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        send = getattr(self.client, method)
        url = API + path
        if body is None:
            return send(url, query or None, **extra) if method == "get" else send(url, **extra)
        return send(url, body, content_type="application/json", **extra)

    def get(self, path, **query):
        return self.call("get", path, **query)

    def post(self, path, body=None, headers=None):
        return self.call("post", path, body if body is not None else {}, headers)

    def put(self, path, body):
        return self.call("put", path, body)

    def patch(self, path, body):
        return self.call("patch", path, body)

    def delete(self, path):
        return self.call("delete", path)


def order_body(cart_id: str, **overrides) -> dict:
    details = buyer_details()
    body = {**details, "collection_date": details["collection_date"].isoformat(), "cart_id": cart_id}
    body["adult_confirmed"] = True
    body.update(overrides)
    return body


@pytest.fixture
def api():
    return ApiClient()


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def user_api(user):
    pair = ApiClient().post("/auth/token/pair", {"email": user.email, "password": PASSWORD}).json()
    return ApiClient(pair["access"])
