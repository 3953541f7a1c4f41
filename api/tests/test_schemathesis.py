"""schemathesis over every operation of /api/v1/openapi.json, in-process: no 5xx, and every answer (status,
content type, headers, body) as the schema says, without a token and with a valid one."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from ninja_jwt.tokens import RefreshToken
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from accounts.tests.factories import UserFactory
from animals.tests.factories import AnimalFactory
from api.tests.test_schema import served_schema

FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# The schema as /api/v1/openapi.json serves it (test_schema.py checks they agree), run against the WSGI
# application in this process, inside each test's transaction.
schema = schemathesis.openapi.from_dict(served_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _in_process(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.API_THROTTLE_ANON = settings.API_THROTTLE_USER = "1000000/min"
    settings.AXES_ENABLED = False  # the fuzzed log-ins would lock each other out (lock-out: test_auth.py)
    # The WSGI handler closes the connection after each request; the test's transaction must outlive it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    AnimalFactory.create_batch(3)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Every check but one: "a schema-valid request is accepted" cannot hold where the shop's rules are not in
# the schema (a breed that exists, a password strong enough, a cart that is not empty), so those get a 4xx.
EXCLUDED = [positive_data_acceptance]
# With a token, a negative case that drops the Authorization header would still get ours: its rejection is
# checked in the run without a token; every other check runs with the token too.
EXCLUDED_WITH_TOKEN = [*EXCLUDED, negative_data_rejection]


@schema.parametrize()
@FUZZ
def test_every_operation_without_a_token(case):
    case.call_and_validate(excluded_checks=EXCLUDED)


@pytest.fixture
def access_token(_in_process):
    # Made directly: a Django test Client request here would reconnect the signal _in_process disconnected.
    return str(RefreshToken.for_user(UserFactory()).access_token)


@schema.parametrize()
@FUZZ
def test_every_operation_with_a_valid_token(case, access_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {access_token}"}, excluded_checks=EXCLUDED_WITH_TOKEN)
