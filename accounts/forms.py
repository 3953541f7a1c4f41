from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms

from accounts import services
from accounts.lockout import current_password_ok
from accounts.models import Address, User
from petshop.clients import client_ip


def submit_helper(label: str) -> FormHelper:
    """A crispy helper that renders the whole form (CSRF token included) with one submit button."""
    helper = FormHelper()
    button = Submit("submit", label)
    button.field_classes = "btn btn-success"  # the shop's colour instead of crispy's btn-primary
    helper.add_input(button)
    return helper


def email_taken(email: str, *, exclude_pk=None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


class SignupForm(auth_forms.BaseUserCreationForm):
    """E-mail, name and the password twice, checked by Django's password validators.

    Whether the address already has an account is never said here (services.user_signup e-mails its owner).
    """

    class Meta:
        model = User
        fields = ("email", "full_name")
        labels = {"email": "E-mail", "full_name": "Your name"}
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.helper = submit_helper("Create my account")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        """Skipped: "this address is taken" would tell anyone who has an account."""

    def validate_constraints(self):
        """Skipped for the same reason (the case-insensitive unique address); the service handles a known one."""


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter a correct e-mail address and password. Note that both fields may be case-sensitive. "
            "Just signed up? Confirm your address with the link we e-mailed you first."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
        self.helper = submit_helper("Log in")


class ConfirmationResendForm(forms.Form):
    email = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Send me a new link")


class ConfirmEmailForm(forms.Form):
    """The confirmation link's page: the password chosen at sign-up, so that only its owner opens the account.
    The address being confirmed is shown (read-only, never taken from the form) for the customer and their
    password manager."""

    email = forms.EmailField(
        label="E-mail", required=False, disabled=True, widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        help_text="The password you chose when you signed up.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Confirm my e-mail address")


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail"
        self.helper = submit_helper("Send me a reset link")

    def save(self, *, request, **kwargs):
        """Instead of Django's own sending (its links take the host from the request): ours, from SITE_URL, within
        the flood limits."""
        services.password_reset_request(email=self.cleaned_data["email"], ip=client_ip(request))


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper("Set my new password")


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """The current password is checked like a log-in: wrong ones count toward the same lock-out."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = submit_helper("Change my password")

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not current_password_ok(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class ProfileForm(forms.ModelForm):
    """Name, phone and e-mail; a new e-mail address needs the current password."""

    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only when you change your e-mail address.",
    )

    class Meta:
        model = User
        fields = ("full_name", "phone", "email")
        labels = {"full_name": "Your name", "phone": "Phone", "email": "E-mail"}
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.original_email = self.instance.email
        self.helper = submit_helper("Save my details")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError("Another account already uses this e-mail address.")
        return email

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        changed = email and email != self.original_email.lower()
        # Checked like a log-in: wrong passwords count toward the same lock-out.
        if changed and not current_password_ok(self.request, self.instance, cleaned.get("current_password") or ""):
            self.add_error("current_password", "To change your e-mail address, enter your current password.")
        return cleaned

    def save(self, commit=True):
        if self.instance.email != self.original_email:
            self.instance.email_verified_at = None  # the new address has not been confirmed by its link
        return super().save(commit=commit)


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ("label", "full_name", "line1", "line2", "city", "postcode", "country")
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "country": forms.TextInput(attrs={"autocomplete": "country-name"}),
        }

    def __init__(self, *args, submit_label="Save address", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label)

    def address_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class NewAddressForm(AddressForm):
    make_default = forms.BooleanField(label="Use as my default address", required=False)

    class Meta(AddressForm.Meta):
        pass
