import json
from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from phonenumber_field.formfields import PhoneNumberField

from animals.models import Animal
from orders.addresses import REGION_LABELS, region_label
from orders.models import collection_dates

ADDRESS_REASON = (
    "Why we ask for your address: animals are handed over in the shop, never sent, but the law asks us to keep "
    "the buyer's name and address on the record of every animal we sell."
)


def cart_version(quantities: dict[int, int]) -> str:
    """The cart as the checkout page showed it, e.g. "12x1.15x3": the form sends it back with the order."""
    return ".".join(f"{animal_id}x{quantity}" for animal_id, quantity in sorted(quantities.items()))


def parse_cart_version(text: str) -> dict[int, int] | None:
    """{animal id: quantity} from cart_version()'s text, or None when the text is not one."""
    quantities = {}
    for part in filter(None, (text or "").split(".")):
        animal_id, _, quantity = part.partition("x")
        if not (animal_id.isdigit() and quantity.isdigit()) or len(part) > 30:
            return None
        quantities[int(animal_id)] = int(quantity)
    return quantities


def cart_changes(seen: dict[int, int], now: dict[int, int]) -> list[str]:
    """Plain sentences for each line whose quantity differs between what the customer saw and the cart now."""
    changed = sorted(pk for pk in seen.keys() | now.keys() if seen.get(pk, 0) != now.get(pk, 0))
    names = dict(Animal.objects.filter(pk__in=changed).values_list("pk", "name")) if changed else {}
    sentences = []
    for pk in changed:
        name = names.get(pk, "An animal")
        before, after = seen.get(pk, 0), now.get(pk, 0)
        if not before:
            sentences.append(f"{name}: added ({after}).")
        elif not after:
            sentences.append(f"{name}: removed (was {before}).")
        else:
            sentences.append(f"{name}: {after} instead of {before}.")
    return sentences


class CheckoutForm(forms.Form):
    """The buyer's details for an order. Prices and quantities never come from here: they are read fresh."""

    email = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = PhoneNumberField(help_text="We call this number if anything changes about your collection.")
    country = LazyTypedChoiceField(
        choices=countries,
        # static/js/checkout.js shows the region field only for these countries, under their word for it
        widget=forms.Select(attrs={"autocomplete": "country", "data-region-labels": json.dumps(REGION_LABELS)}),
    )
    address_line1 = forms.CharField(
        label="Address line 1", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "address-line1"})
    )
    address_line2 = forms.CharField(
        label="Address line 2",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    region = forms.CharField(
        label="State or region",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
        help_text="Needed in countries whose addresses have one: "
        + ", ".join(sorted(str(countries.name(code)) for code in REGION_LABELS))
        + ".",
    )
    postcode = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    collection_date = forms.TypedChoiceField(
        coerce=date.fromisoformat,
        help_text="Animals are handed over in the shop on one of its opening days.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    adult_confirmed = forms.BooleanField(
        label="I am 18 or older and have read the care information of the animals in my order.",
        error_messages={"required": "Please confirm that you are an adult and have read the care information."},
    )
    checkout_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    cart_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=3000)

    def __init__(self, *args, today: date | None = None, cart_quantities: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cart_quantities = cart_quantities or {}
        self.changes: list[str] = []
        self.fields["phone"].region = settings.SHOP_COUNTRY
        self.fields["phone"].widget.region = settings.SHOP_COUNTRY
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["country"].initial = settings.SHOP_COUNTRY
        self.initial["cart_version"] = cart_version(self.cart_quantities)
        if self.is_bound:  # what the customer saw goes back as the current cart, for the next submission
            self.seen_version = self.data.get("cart_version", "")
            self.data = self.data.copy()
            self.data["cart_version"] = cart_version(self.cart_quantities)
        days = collection_dates(today=today or timezone.localdate())
        self.fields["collection_date"].choices = [("", "Choose a day")] + [
            (day.isoformat(), day.strftime("%A %-d %B %Y")) for day in days
        ]
        self.fields["collection_date"].error_messages["invalid_choice"] = (
            "Please choose one of the listed opening days "
            f"(from tomorrow, up to {settings.SHOP_COLLECTION_DAYS_AHEAD} days ahead)."
        )

    def order_details(self) -> dict:
        """The buyer's details for `order_place()`, from the cleaned data (not the form's own fields)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"adult_confirmed", "checkout_token", "cart_version"}
        }

    def clean_phone(self):
        return self.cleaned_data["phone"].as_e164  # stored in E.164 whatever way it was typed

    def clean(self):
        cleaned = super().clean()
        label = region_label(cleaned.get("country") or "")
        if label and not (cleaned.get("region") or "").strip():
            self.add_error("region", f"Please enter the {label.lower()}: addresses in this country need one.")
        if not label:
            cleaned["region"] = ""
        seen = parse_cart_version(self.seen_version) if self.is_bound and self.seen_version else None
        if seen is not None and seen != self.cart_quantities:
            # Valid details, but not what the customer saw: the view shows `changes` and places nothing.
            self.changes = cart_changes(seen, self.cart_quantities)
        return cleaned


class HandOverForm(forms.Form):
    """The checklist staff tick when the buyer collects the animals: every item is required."""

    id_checked = forms.BooleanField(label="Photo ID seen and the buyer is 18 or older")
    care_pack_given = forms.BooleanField(label="Care pack given")
    microchip_transferred = forms.BooleanField(label="Microchip registration transferred to the buyer")
