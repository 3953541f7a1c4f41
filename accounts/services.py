"""Changes to customer accounts: sign-up and the address book."""

from django.db import IntegrityError, transaction

from accounts import emails
from accounts.models import Address, User

MAX_ADDRESSES = 10
EMAIL_TAKEN = "An account with this e-mail address already exists. Log in or reset your password."


class SignupError(Exception):
    """Sign-up refused, with a message a customer can read."""


class AddressError(Exception):
    """An address-book change refused, with a message a customer can read."""


def user_signup(*, email: str, full_name: str, password: str) -> User:
    """Create a customer account (e-mail stored lowercased) and send the welcome e-mail once it is saved."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, full_name=full_name)
    except IntegrityError as error:  # the same address signed up a moment ago
        raise SignupError(EMAIL_TAKEN) from error
    transaction.on_commit(lambda: emails.send_welcome(user.pk))
    return user


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
    """Save the customer's own details (name, phone, e-mail), already validated by ProfileForm."""
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    return user
