from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError

from accounts.forms import email_taken
from accounts.models import Address, User


class LowercaseEmailMixin:
    """E-mail addresses are stored lowercased and unique whatever their case, as on the sign-up page."""

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email_taken(email, exclude_pk=self.instance.pk):
            raise ValidationError("Another account already uses this e-mail address.")
        return email


class CustomerCreationForm(LowercaseEmailMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class CustomerChangeForm(LowercaseEmailMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = ("label", "full_name", "line1", "line2", "city", "postcode", "country", "is_default")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Customers and staff, by e-mail address (there is no username)."""

    form = CustomerChangeForm
    add_form = CustomerCreationForm
    list_display = ("email", "full_name", "phone", "is_staff", "is_active", "email_verified_at", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", ("email_verified_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "full_name", "phone")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined", "email_verified_at")
    inlines = [AddressInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name", "phone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("email_verified_at", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
