"""Accounts: register (the web sign-up's form and service), the user's own details and address book."""

from ninja import Router, Status

from accounts import services
from accounts.forms import AddressForm, ProfileForm, SignupForm
from accounts.models import Address
from api.v1.errors import ApiError, answers, form_errors
from api.v1.schemas import PK, AddressIn, AddressOut, AddressPatchIn, ProfileIn, RegisteredOut, RegisterIn, UserOut

router = Router(tags=["users"])

SIGNED_UP = "Welcome! Your account is ready."  # the web sign-up's answer


def register(*, email: str, full_name: str, password: str):
    """The one place the API signs a customer up: the web sign-up's form (same checks, same messages) and service."""
    form = SignupForm({"email": email, "full_name": full_name, "password1": password, "password2": password})
    if not form.is_valid():
        raise form_errors(form)
    try:
        user = services.user_signup(
            email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"], password=password
        )
    except services.SignupError as error:
        raise ApiError(409, str(error), "email_taken") from error
    return user, SIGNED_UP


@router.post("", response=answers({201: RegisteredOut}), auth=None)
def user_register(request, payload: RegisterIn):
    """Open a customer account, as the web sign-up does; then ask for a token pair."""
    user, detail = register(email=payload.email, full_name=payload.full_name, password=payload.password)
    return Status(201, {"detail": detail, "user": user})


@router.get("/me", response=answers({200: UserOut}))
def me(request):
    return request.auth


@router.patch("/me", response=answers({200: UserOut}))
def me_update(request, payload: ProfileIn):
    """Change name, phone or e-mail (a new e-mail needs `current_password`), with the profile page's checks."""
    user = request.auth
    given = payload.dict(exclude_unset=True, exclude_none=True)
    data = {"full_name": user.full_name, "phone": user.phone, "email": user.email, **given}
    form = ProfileForm(data, instance=user, request=request)  # wrong current passwords count toward the lock-out
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
