"""The API's request and response bodies. Money is a decimal string ("350.00"), never a float."""

from datetime import date, datetime

from ninja import Field, Path, Schema
from pydantic import model_validator

NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: such input is refused (422), never a 500


def Text(default=..., **kwargs):  # noqa: N802 (used like Field)
    return Field(default, pattern=NO_NUL, **kwargs)


ID = Field(..., ge=1, le=2**63 - 1)
PK = Path(..., ge=1, le=2**63 - 1)  # an id in the path
QUANTITY = Field(..., ge=1, le=999)


class In(Schema):
    """A request body: a JSON object (a list or a number is refused, even where every field is optional)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        if not isinstance(getattr(data, "_obj", data), dict):  # ninja hands the body over in a DjangoGetter
            raise ValueError("Send a JSON object.")
        return data


class ErrorOut(Schema):
    detail: str
    code: str


class MessageOut(Schema):
    detail: str


# Auth
class TokenPairIn(In):
    email: str = Text(..., min_length=1, max_length=254)
    password: str = Text(..., min_length=1, max_length=4096)


class TokenPairOut(Schema):
    access: str
    refresh: str


class RefreshIn(In):
    refresh: str = Text(..., min_length=1, max_length=4096)


class VerifyIn(In):
    token: str = Text(..., min_length=1, max_length=4096)


# Users
class RegisterIn(In):
    email: str = Text(..., min_length=1, max_length=254)
    full_name: str = Text(..., min_length=1, max_length=150)
    password: str = Text(..., min_length=1, max_length=4096)


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str


class ConfirmIn(In):
    token: str = Text(..., min_length=1, max_length=500, description="The last part of the confirmation link.")
    password: str = Text(..., min_length=1, max_length=4096, description="The password chosen at registration.")


class ConfirmResendIn(In):
    email: str = Text(..., min_length=1, max_length=254)


class ProfileIn(In):
    full_name: str | None = Text(None, max_length=150)
    phone: str | None = Text(None, max_length=30)
    email: str | None = Text(None, max_length=254)
    current_password: str | None = Text(None, max_length=4096)


class AddressIn(In):
    label: str = Text("", max_length=50)
    full_name: str = Text(..., max_length=150)
    line1: str = Text(..., max_length=200)
    line2: str = Text("", max_length=200)
    city: str = Text(..., max_length=100)
    postcode: str = Text(..., max_length=20)
    country: str = Text(..., max_length=100)
    make_default: bool = False


class AddressPatchIn(In):
    label: str | None = Text(None, max_length=50)
    full_name: str | None = Text(None, max_length=150)
    line1: str | None = Text(None, max_length=200)
    line2: str | None = Text(None, max_length=200)
    city: str | None = Text(None, max_length=100)
    postcode: str | None = Text(None, max_length=20)
    country: str | None = Text(None, max_length=100)


class AddressOut(Schema):
    id: int
    label: str
    full_name: str
    line1: str
    line2: str
    city: str
    postcode: str
    country: str
    is_default: bool


# Cart
class CartLineIn(In):
    animal_id: int = ID
    quantity: int = QUANTITY


class QuantityIn(In):
    quantity: int = QUANTITY


class CartLineOut(Schema):
    animal_id: int
    name: str
    unit_price: str
    quantity: int
    line_total: str


class CartOut(Schema):
    id: str
    lines: list[CartLineOut]
    count: int
    total: str
    notes: list[str] = Field(..., description="What was corrected against stock since the last answer.")
    version: str = Field(..., description="The cart's lines as a short text, for an order's `cart_version`.")
    detail: str = Field(..., description="What the last change did, in words (empty for a plain read).")


# Orders
class OrderIn(In):
    cart_id: str = Text(..., min_length=1, max_length=64)
    email: str = Text(..., max_length=254)
    full_name: str = Text(..., max_length=150)
    phone: str = Text(..., max_length=30, description="A phone number, stored in E.164 (+15555550123).")
    address_line1: str = Text(..., max_length=200)
    address_line2: str = Text("", max_length=200)
    city: str = Text(..., max_length=100)
    region: str = Text("", max_length=100, description="The state or region, needed in countries that have one.")
    postcode: str = Text(..., max_length=20)
    country: str = Text(..., max_length=2, description="An ISO 3166-1 alpha-2 code, e.g. US.")
    collection_date: date
    note: str = Text("", max_length=2000)
    adult_confirmed: bool = Field(..., description="The buyer is 18 or older and has read the care information.")
    cart_version: str | None = Text(
        None,
        max_length=3000,
        description="The cart's `version` as the buyer saw it: when the cart has changed since, 409 cart_changed.",
    )


class OrderItemOut(Schema):
    animal_id: int | None
    name: str
    unit_price: str
    quantity: int
    line_total: str


class OrderOut(Schema):
    reference: str
    token: str = Field(..., description="The guest order token: with it, anyone can read and pay this order.")
    status: str
    email: str
    total: str
    currency: str
    collection_date: date | None
    created_at: datetime
    reserved_until: datetime | None
    items: list[OrderItemOut]


class OrderListOut(Schema):
    count: int
    results: list[OrderOut]


# Payments
class PaymentIn(In):
    order_reference: str = Text(..., min_length=1, max_length=12)
    order_token: str | None = Text(None, max_length=64, description="Needed for a guest order.")


class PaymentOut(Schema):
    order_reference: str
    provider: str
    checkout_url: str = Field(..., description="Send the buyer here to pay (Stripe Checkout or the demo page).")
    expires_at: datetime | None


# Catalogue
class AnimalCardOut(Schema):
    id: int
    name: str
    slug: str
    price: str
    stock: int
    status: str = Field(..., description="available, reserved (held by an unpaid order) or sold")
    facts: str = Field(..., description="Species, breed, sex and age, as the catalogue card shows them.")
    url: str = Field(..., description="The animal's web page.")
    image: str
    alt_text: str


class AnimalPageOut(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    results: list[AnimalCardOut]


class PhotoOut(Schema):
    url: str
    alt_text: str


class AnimalOut(Schema):
    id: int
    name: str
    slug: str
    species: str
    breed: str | None
    sex: str
    date_of_birth: date
    age: str
    colour: str
    price: str
    stock: int
    status: str
    description: str
    url: str
    photos: list[PhotoOut]


class BreedOut(Schema):
    id: int
    name: str
    slug: str


class SpeciesOut(Schema):
    id: int
    name: str
    slug: str
    plural: str
    description: str
    breeds: list[BreedOut]
