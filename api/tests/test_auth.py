import pytest
from axes.models import AccessAttempt
from ninja_jwt.tokens import RefreshToken

from accounts.tests.factories import PASSWORD, UserFactory
from api.tests.conftest import ApiClient
from api.v1.throttling import SettingRateThrottle
from petshop.tests.threads import run_together

pytestmark = pytest.mark.django_db


def pair_for(api, user):
    return api.post("/auth/token/pair", {"email": user.email, "password": PASSWORD}).json()


def test_a_wrong_password_is_a_401_in_the_one_error_shape(api, user):
    response = api.post("/auth/token/pair", {"email": user.email, "password": "nope"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert set(response.json()) == {"detail", "code"}


def test_the_e_mail_logs_in_whatever_its_letter_case(api, user):
    assert api.post("/auth/token/pair", {"email": user.email.upper(), "password": PASSWORD}).status_code == 200


def test_access_tokens_are_short_lived(api, user, settings):
    from ninja_jwt.tokens import AccessToken

    token = AccessToken(pair_for(api, user)["access"])
    assert token["exp"] - token["iat"] <= 15 * 60


def test_api_failures_count_toward_the_web_log_in_lock_out(api, client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post("/auth/token/pair", {"email": user.email, "password": "wrong"}).status_code == 401
    # the last failure on the web page locks the account for both
    client.post("/accounts/login/", {"username": user.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    locked = api.post("/auth/token/pair", {"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert int(locked["Retry-After"]) == int(settings.AXES_COOLOFF_TIME * 3600)
    assert AccessAttempt.objects.filter(username=user.email).exists()


def test_api_failures_lock_the_web_log_in(api, client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/auth/token/pair", {"email": user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_refresh_rotates_and_blacklists_the_old_refresh_token(api, user):
    first = pair_for(api, user)
    second = api.post("/auth/token/refresh", {"refresh": first["refresh"]})
    assert second.status_code == 200
    assert second.json()["refresh"] != first["refresh"]
    reused = api.post("/auth/token/refresh", {"refresh": first["refresh"]})
    assert reused.status_code == 401 and reused.json()["code"] == "token_not_valid"
    assert api.post("/auth/token/refresh", {"refresh": second.json()["refresh"]}).status_code == 200


def test_a_refresh_that_passed_the_blacklist_check_as_another_used_the_token_is_refused(api, user, monkeypatch):
    """The race, in order: a second request checks the blacklist before the first has written to it."""
    refresh = pair_for(api, user)["refresh"]
    assert api.post("/auth/token/refresh", {"refresh": refresh}).status_code == 200
    monkeypatch.setattr(RefreshToken, "check_blacklist", lambda token: None)  # its check ran a moment earlier

    late = api.post("/auth/token/refresh", {"refresh": refresh})

    assert late.status_code == 401 and late.json()["code"] == "token_not_valid"


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_one_refresh_token_sent_by_eight_clients_at_once_gives_one_new_pair(require_postgres):
    user = UserFactory()
    refresh = pair_for(ApiClient(), user)["refresh"]
    statuses = run_together(8, lambda index: ApiClient().post("/auth/token/refresh", {"refresh": refresh}).status_code)

    assert sorted(statuses) == [200] + [401] * 7


def test_verify_says_whether_a_token_is_valid(api, user):
    assert api.post("/auth/token/verify", {"token": pair_for(api, user)["access"]}).status_code == 200
    refused = api.post("/auth/token/verify", {"token": "not.a.token"})
    assert refused.status_code == 401 and refused.json()["code"] == "token_not_valid"


def test_protected_routes_answer_401_without_or_with_a_bad_token(user):
    assert ApiClient().get("/users/me").status_code == 401
    bad = ApiClient("garbage").get("/users/me")
    assert bad.status_code == 401 and set(bad.json()) == {"detail", "code"}


def test_the_session_cookie_does_not_authenticate_api_calls(client, user):
    client.force_login(user)
    assert client.get("/api/v1/users/me").status_code == 401


def test_posts_need_no_csrf_token_since_there_is_no_session_auth(user_api):
    assert user_api.post("/carts").status_code == 201  # the client enforces CSRF checks


class Clock:
    """The throttles' clock, half a minute into a minute of the clock (rates are counted per minute)."""

    def __init__(self):
        self.now = 1_800_000_030.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(SettingRateThrottle, "timer", staticmethod(clock))
    return clock


@pytest.fixture
def tight_throttles(settings, clock):
    settings.API_THROTTLE_ANON = "3/min"
    settings.API_THROTTLE_USER = "3/min"


def test_too_many_requests_from_one_address_get_a_429_with_retry_after(api, tight_throttles):
    answers = [api.post("/carts").status_code for _ in range(4)]
    assert answers == [201, 201, 201, 429]
    limited = api.post("/carts")
    assert limited.json()["code"] == "throttled"
    assert limited["Retry-After"] == "30"  # the end of this minute, when the count starts again
    assert ApiClient().client.post("/api/v1/carts", REMOTE_ADDR="10.1.1.1").status_code == 201


def test_the_count_starts_again_with_the_next_minute(api, tight_throttles, clock):
    assert [api.post("/carts").status_code for _ in range(4)] == [201, 201, 201, 429]
    clock.now += 29
    assert api.post("/carts").status_code == 429
    clock.now += 1
    assert [api.post("/carts").status_code for _ in range(4)] == [201, 201, 201, 429]


def test_with_redis_too(api, tight_throttles, redis_cache):
    assert [api.post("/carts").status_code for _ in range(4)] == [201, 201, 201, 429]


def test_one_user_is_throttled_from_any_address(user, settings, clock):
    token = pair_for(ApiClient(), user)["access"]
    settings.API_THROTTLE_USER = "3/min"
    for index in range(3):
        ApiClient(token).client.get(
            "/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=f"10.2.0.{index}"
        )
    limited = ApiClient().client.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="10.2.0.99")
    assert limited.status_code == 429 and "Retry-After" in limited
    settings.API_THROTTLE_USER = "100/min"
    other_token = pair_for(ApiClient(), UserFactory())["access"]
    settings.API_THROTTLE_USER = "3/min"
    fine = ApiClient().client.get(
        "/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {other_token}", REMOTE_ADDR="10.2.0.98"
    )
    assert fine.status_code == 200
