from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone

from orders.models import collection_dates


class CheckoutForm(forms.Form):
    """The buyer's details for an order. Prices and quantities never come from here: they are read fresh."""

    email = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(max_length=30, widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
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
    postcode = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    country = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "country-name"}))
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

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        days = collection_dates(today=today or timezone.localdate())
        self.fields["collection_date"].choices = [("", "Choose a day")] + [
            (day.isoformat(), day.strftime("%A %-d %B %Y")) for day in days
        ]
        self.fields["collection_date"].error_messages["invalid_choice"] = (
            "Please choose one of the listed opening days "
            f"(from tomorrow, up to {settings.SHOP_COLLECTION_DAYS_AHEAD} days ahead)."
        )


class HandOverForm(forms.Form):
    """The checklist staff tick when the buyer collects the animals: every item is required."""

    id_checked = forms.BooleanField(label="Photo ID seen and the buyer is 18 or older")
    care_pack_given = forms.BooleanField(label="Care pack given")
    microchip_transferred = forms.BooleanField(label="Microchip registration transferred to the buyer")
