"""Changes to customer accounts: sign-up and its confirmation, password-reset requests, the address book."""

import hashlib
import logging
import uuid

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import emails, tokens  # noqa: F401  (emails declares the account e-mail kinds)
from accounts.email_limits import email_allowed
from accounts.models import Address, User
from notifications.services import notification_queue
from orders.services import order_claim_guest_orders
from petshop.counting import count_hit

logger = logging.getLogger(__name__)

MAX_ADDRESSES = 10
CONFIRMATION_FAILED = (
    "This confirmation link has expired or was already used. Log in, or ask for a new link below if you have "
    "not confirmed your address yet."
)

CONFIRMATION_MISMATCH = (
    "That is not the password this sign-up was made with. Forgotten it, or did not sign up yourself? Sign up "
    "again with this address to get a new link."
)
CONFIRMATION_TRIES = 5  # wrong passwords one link takes; a new link (within the e-mail flood limits) has its own
CONFIRMATION_TRIES_SPENT = (
    "Too many wrong passwords for this link. Sign up again with this address to get a new link, and choose a "
    "password you will remember."
)


class ConfirmationError(Exception):
    """An e-mail confirmation refused, with a message a customer can read."""


class ConfirmationPasswordError(ConfirmationError):
    """A valid link with a password that is not the sign-up's: the link still works with the right one."""


class AddressError(Exception):
    """An address-book change refused, with a message a customer can read."""


def _email(user: User, kind: str, *, dedupe_key: str = "") -> None:
    """Queue an account e-mail in the outbox; each request of a kind that may repeat (a new link) is its own row."""
    key = dedupe_key or f"{kind}:{user.pk}:{uuid.uuid4().hex}"
    notification_queue(kind=kind, to=user.email, context={"user_id": user.pk}, dedupe_key=key)


def _unconfirmed(user: User) -> bool:
    """Signed up, never confirmed: such an account cannot log in until its address is confirmed."""
    return user.email_verified_at is None and not user.is_active


def user_signup(*, email: str, full_name: str, password: str, ip: str) -> None:
    """Sign up `email`; the caller answers "check your inbox" whatever happens here, so nobody learns from it
    whether the address has an account.

    A new address gets an inactive account and a confirmation link. An address that signed up before but never
    confirmed gets the new name and password and a fresh link (older links stop working). An address with an
    account gets an e-mail saying someone tried, with a password-reset link. Over the flood limits
    (email_limits), nothing happens at all.
    """
    email = email.strip().lower()
    if not email_allowed(email=email, ip=ip):
        return
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        email=email, password=password, full_name=full_name, is_active=False
                    )
            except IntegrityError:  # the same address signed up a moment ago; that sign-up sends its own link
                return
            _email(user, "signup-confirmation")
        elif _unconfirmed(user):
            user.full_name = full_name
            user.set_password(password)
            user.save(update_fields=["full_name", "password"])
            _email(user, "signup-confirmation")
        else:
            make_password(password)  # as slow as the other answers: the time taken tells nothing either
            _email(user, "signup-attempt")


def user_confirmation_resend(*, email: str, ip: str) -> None:
    """A new confirmation link for an account that signed up and never confirmed; nothing for any other address."""
    email = email.strip().lower()
    if not email_allowed(email=email, ip=ip):
        return
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and _unconfirmed(user):
        _email(user, "signup-confirmation")


@transaction.atomic
def user_email_confirm(*, token: str, password: str) -> User:
    """Confirm the address a link was sent to and open the account; the caller logs the customer in.

    The link proves the address, the password proves the sign-up: whoever signs up with somebody else's address
    (or signs it up again with a password of their own) cannot have that person open the account for them by
    clicking the e-mail, since the owner does not know the stranger's password. A link takes CONFIRMATION_TRIES
    wrong passwords, then only a new sign-up (a new password and link) opens the account.
    """
    user = tokens.email_confirmation_user(token)
    if user is None:
        raise ConfirmationError(CONFIRMATION_FAILED)
    user = User.objects.select_for_update().get(pk=user.pk)
    if tokens.email_confirmation_user(token) is None:  # confirmed by a click a moment ago
        raise ConfirmationError(CONFIRMATION_FAILED)
    tries_key = f"confirmation-tries:{hashlib.sha256(token.encode()).hexdigest()[:32]}"
    if cache.get(tries_key, 0) >= CONFIRMATION_TRIES:
        raise ConfirmationPasswordError(CONFIRMATION_TRIES_SPENT)
    if not user.check_password(password):
        count_hit(tries_key, settings.ACCOUNT_CONFIRMATION_DAYS * 86400)
        raise ConfirmationPasswordError(CONFIRMATION_MISMATCH)
    user.email_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_verified_at", "is_active"])
    order_claim_guest_orders(user_id=user.pk)  # the address is proven now: its guest orders are the customer's
    _email(user, "welcome", dedupe_key=f"welcome:{user.pk}")
    return user


@transaction.atomic
def user_password_reset_complete(*, user_id: int) -> User:
    """A new password set from the link e-mailed to the account's address (Django's reset token, which also
    covers the address): that proves the address as well as the sign-up link does. An account without
    email_verified_at (made before verification existed, or whose address changed since) becomes verified, and
    the orders that address placed as a guest join the account."""
    user = User.objects.select_for_update().get(pk=user_id)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    order_claim_guest_orders(user_id=user.pk)
    return user


def password_reset_request(*, email: str, ip: str) -> None:
    """Send a reset link to the active account with this address, if any, within the flood limits."""
    email = email.strip().lower()
    if not email_allowed(email=email, ip=ip):
        return
    for user in User.objects.filter(email__iexact=email, is_active=True):
        _email(user, "password-reset")


def _lock_address_book(user) -> None:
    """Serialise changes to one customer's address book, so there is never more than one default."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def _make_default(user, address: Address) -> None:
    Address.objects.filter(user=user, is_default=True).exclude(pk=address.pk).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default"])


@transaction.atomic
def address_create(*, user, fields: dict, make_default: bool = False) -> Address:
    """Add an address; the first one (or one asked for) becomes the default."""
    _lock_address_book(user)
    count = Address.objects.filter(user=user).count()
    if count >= MAX_ADDRESSES:
        raise AddressError(f"You can keep up to {MAX_ADDRESSES} addresses. Delete one you no longer use first.")
    address = Address.objects.create(user=user, **fields)
    if make_default or count == 0:
        _make_default(user, address)
    return address


@transaction.atomic
def address_update(*, user, address_id: int, fields: dict) -> Address:
    """Change one of the customer's own addresses (Address.DoesNotExist for anyone else's)."""
    _lock_address_book(user)
    address = Address.objects.get(user=user, pk=address_id)
    for name, value in fields.items():
        setattr(address, name, value)
    address.save(update_fields=list(fields))
    return address


@transaction.atomic
def address_set_default(*, user, address_id: int) -> Address:
    """Make one of the customer's own addresses the default (the one checkout pre-fills from)."""
    _lock_address_book(user)
    address = Address.objects.get(user=user, pk=address_id)
    _make_default(user, address)
    return address


@transaction.atomic
def address_delete(*, user, address_id: int) -> None:
    """Delete one of the customer's own addresses; if it was the default, the oldest remaining one takes over."""
    _lock_address_book(user)
    address = Address.objects.get(user=user, pk=address_id)
    was_default = address.is_default
    address.delete()
    if was_default:
        successor = Address.objects.filter(user=user).order_by("pk").first()
        if successor is not None:
            _make_default(user, successor)


def user_profile_update(*, user, fields: dict) -> User:
    """Save the customer's own details (name, phone, e-mail), already validated by ProfileForm. A new address
    is not confirmed yet (as ProfileForm.save() does for the web page)."""
    fields = dict(fields)
    stored_email = User.objects.filter(pk=user.pk).values_list("email", flat=True).first()  # the form set the new one
    if "email" in fields and fields["email"] != stored_email:
        fields["email_verified_at"] = None
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    return user
