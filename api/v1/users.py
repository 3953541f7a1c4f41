"""Accounts: register and confirm the e-mail address (the web sign-up's form and services, the same answers), the
user's own details and address book."""

from ninja import Router, Status

from accounts import services
from accounts.forms import AddressForm, ProfileForm, SignupForm
from accounts.models import Address
from api.v1.errors import ApiError, answers, form_errors
from api.v1.schemas import (
    PK,
    AddressIn,
    AddressOut,
    AddressPatchIn,
    ConfirmIn,
    ConfirmResendIn,
    MessageOut,
    ProfileIn,
    RegisterIn,
    UserOut,
)
from petshop.clients import client_ip

router = Router(tags=["users"])

# The web's "check your inbox" page, in a sentence: the same answer for a new address, a known one, or over the
# flood limits, so that nobody learns from it whether an address has an account.
CHECK_INBOX = (
    "Check your inbox: we have sent an e-mail to the address you entered. Follow its link (or post its token and your "
    "password to /api/v1/users/confirm) to finish: a new account is ready once you confirm your address."
)
CONFIRMED = "Your e-mail address is confirmed. Welcome! Your account is ready: ask for a token pair."


@router.post("", response=answers({202: MessageOut}), auth=None)
def user_register(request, payload: RegisterIn):
    """Sign up as the web does: the sign-up form's checks, then an e-mail with a confirmation link. The answer is
    always 202 "check your inbox"; a token pair can be had once the address is confirmed."""
    form = SignupForm(
        {
            "email": payload.email,
            "full_name": payload.full_name,
            "password1": payload.password,
            "password2": payload.password,
        }
    )
    if not form.is_valid():
        raise form_errors(form)
    services.user_signup(
        email=form.cleaned_data["email"],
        full_name=form.cleaned_data["full_name"],
        password=form.cleaned_data["password1"],
        ip=client_ip(request),
    )
    return Status(202, {"detail": CHECK_INBOX})


@router.post("/confirm", response=answers({200: MessageOut}), auth=None)
def user_confirm(request, payload: ConfirmIn):
    """Confirm the e-mail address with the token of the confirmation link (the last part of its path) and the
    password chosen at registration, as the web's confirmation page asks for it."""
    try:
        services.user_email_confirm(token=payload.token, password=payload.password)
    except services.ConfirmationPasswordError as error:
        raise ApiError(400, str(error), "wrong_password") from error
    except services.ConfirmationError as error:
        raise ApiError(400, str(error), "confirmation_failed") from error
    return {"detail": CONFIRMED}


@router.post("/confirm/resend", response=answers({202: MessageOut}), auth=None)
def user_confirm_resend(request, payload: ConfirmResendIn):
    """A new confirmation link for an account never confirmed; the same 202 answer for any address."""
    services.user_confirmation_resend(email=payload.email, ip=client_ip(request))
    return Status(202, {"detail": CHECK_INBOX})


@router.get("/me", response=answers({200: UserOut}))
def me(request):
    return request.auth


@router.patch("/me", response=answers({200: UserOut}))
def me_update(request, payload: ProfileIn):
    """Change name, phone or e-mail (a new e-mail needs `current_password`), with the profile page's checks."""
    user = request.auth
    given = payload.dict(exclude_unset=True, exclude_none=True)
    data = {"full_name": user.full_name, "phone": user.phone, "email": user.email, **given}
    form = ProfileForm(data, instance=user, request=request)
    if not form.is_valid():
        user.refresh_from_db()
        raise form_errors(form)
    fields = {name: form.cleaned_data[name] for name in ("full_name", "phone", "email")}
    return services.user_profile_update(user=user, fields=fields)


@router.get("/me/addresses", response=answers({200: list[AddressOut]}))
def address_list(request):
    return list(Address.objects.filter(user=request.auth))


def _address(user, address_id) -> Address:
    address = Address.objects.filter(user=user, pk=address_id).first()
    if address is None:
        raise ApiError(404, "No such address.")
    return address


@router.post("/me/addresses", response=answers({201: AddressOut}))
def address_add(request, payload: AddressIn):
    form = AddressForm(payload.dict(exclude={"make_default"}))
    if not form.is_valid():
        raise form_errors(form)
    try:
        address = services.address_create(
            user=request.auth, fields=form.address_fields(), make_default=payload.make_default
        )
    except services.AddressError as error:
        raise ApiError(409, str(error), "address_book_full") from error
    return Status(201, address)


@router.patch("/me/addresses/{address_id}", response=answers({200: AddressOut}))
def address_edit(request, payload: AddressPatchIn, address_id: int = PK):
    address = _address(request.auth, address_id)
    form = AddressForm(
        {**{name: getattr(address, name) for name in AddressForm.Meta.fields}, **payload.dict(exclude_none=True)},
        instance=address,
    )
    if not form.is_valid():
        raise form_errors(form)
    try:
        return services.address_update(user=request.auth, address_id=address_id, fields=form.address_fields())
    except Address.DoesNotExist as error:
        raise ApiError(404, "No such address.") from error


@router.delete("/me/addresses/{address_id}", response=answers({204: None}))
def address_remove(request, address_id: int = PK):
    try:
        services.address_delete(user=request.auth, address_id=address_id)
    except Address.DoesNotExist as error:
        raise ApiError(404, "No such address.") from error
    return Status(204, None)


@router.post("/me/addresses/{address_id}/default", response=answers({200: AddressOut}))
def address_default(request, address_id: int = PK):
    try:
        return services.address_set_default(user=request.auth, address_id=address_id)
    except Address.DoesNotExist as error:
        raise ApiError(404, "No such address.") from error
