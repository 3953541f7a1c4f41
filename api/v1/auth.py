"""Tokens: a pair for an e-mail and password, a rotated refresh (the old one blacklisted), and verify.

Log-in goes through `django.contrib.auth.authenticate`, so django-axes counts a failed attempt here on the
same account and address as a failed web log-in, and a lock-out from either side closes both.
"""

import math

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from ninja import Router
from ninja_jwt.exceptions import TokenError
from ninja_jwt.settings import api_settings
from ninja_jwt.tokens import RefreshToken, UntypedToken

from api.v1.errors import ApiError, answers
from api.v1.schemas import MessageOut, RefreshIn, TokenPairIn, TokenPairOut, VerifyIn

router = Router(tags=["auth"])

BAD_CREDENTIALS = "Please enter a correct e-mail and password. Note that both fields may be case-sensitive."
LOCKED_OUT = "Too many failed log-in attempts. Please try again later or reset your password."


def _pair(refresh: RefreshToken) -> dict:
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@router.post("/token/pair", response=answers({200: TokenPairOut}), auth=None)
def token_pair(request, payload: TokenPairIn):
    """A short-lived access token and a refresh token for an e-mail and password."""
    user = authenticate(request, username=payload.email, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # The API answers the lock-out itself, in its error shape, instead of AxesMiddleware's HTML page.
        request.axes_locked_out = False
        retry_after = str(math.ceil(settings.AXES_COOLOFF_TIME * 3600))
        raise ApiError(429, LOCKED_OUT, "locked_out", headers={"Retry-After": retry_after})
    if user is None or not user.is_active:
        raise ApiError(401, BAD_CREDENTIALS, "invalid_credentials")
    return _pair(RefreshToken.for_user(user))


@router.post("/token/refresh", response=answers({200: TokenPairOut}), auth=None)
def token_refresh(request, payload: RefreshIn):
    """A new pair for a refresh token; the refresh token given is blacklisted and cannot be used again."""
    try:
        old = RefreshToken(payload.refresh)
        user_id = old.payload.get(api_settings.USER_ID_CLAIM)
        _, blacklisted_now = old.blacklist()
    except TokenError as error:
        raise ApiError(401, str(error), "token_not_valid") from error
    if not blacklisted_now:
        # Another request with the same token passed the blacklist check at the same moment and blacklisted it
        # first (one row per token: the database lets only one of them create it); one refresh per token.
        raise ApiError(401, "Token is blacklisted", "token_not_valid")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ApiError(401, "This account is no longer active.", "token_not_valid")
    return _pair(RefreshToken.for_user(user))


@router.post("/token/verify", response=answers({200: MessageOut}), auth=None)
def token_verify(request, payload: VerifyIn):
    """Whether a token (access or refresh) is valid: 200 when it is, 401 when not."""
    try:
        UntypedToken(payload.token)
    except TokenError as error:
        raise ApiError(401, str(error), "token_not_valid") from error
    return {"detail": "The token is valid."}
