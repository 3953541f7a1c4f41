from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import (
    AddressForm,
    ConfirmationResendForm,
    ConfirmEmailForm,
    LoginForm,
    NewAddressForm,
    PasswordChangeForm,
    ProfileForm,
    SetPasswordForm,
    SignupForm,
)
from accounts.models import Address
from accounts.tokens import email_confirmation_user
from orders.models import Order
from orders.services import order_claim_guest_orders
from petshop.clients import client_ip

ORDERS_PER_PAGE = 20


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_signup(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            ip=client_ip(request),
        )
        return redirect("accounts:check_inbox")  # the same answer for a new address and a known one
    return render(request, "accounts/signup.html", {"form": form})


def check_inbox(request):
    return render(request, "accounts/check_inbox.html")


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """The link in the confirmation e-mail: a form asking for the sign-up's password (a mail scanner's GET changes
    nothing, and nobody opens an account that somebody else signed up with their address)."""
    user = email_confirmation_user(token)
    form = ConfirmEmailForm(request.POST or None, initial={"email": user.email if user else ""})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_email_confirm(token=token, password=form.cleaned_data["password"])
        except services.ConfirmationPasswordError as error:
            form.add_error("password", str(error))
        except services.ConfirmationError as error:
            messages.error(request, str(error))
            return redirect("accounts:confirmation_resend")
        else:
            # The session keeps its data (the cart) when it is the browser that signed up; login() cycles its key.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your e-mail address is confirmed. Welcome! Your account is ready.")
            return redirect("animals:home")
    return render(request, "accounts/confirm_email.html", {"is_valid": user is not None, "form": form})


def confirmation_resend(request):
    form = ConfirmationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_confirmation_resend(email=form.cleaned_data["email"], ip=client_ip(request))
        return redirect("accounts:check_inbox")
    return render(request, "accounts/confirmation_resend.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with the request handed to the form: the current-password check counts toward the lock-out."""

    template_name = "accounts/password_change_form.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # Guest orders placed with a verified address since the last visit join the account (none otherwise).
        order_claim_guest_orders(user_id=form.get_user().pk)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page of the password-reset link. Django's reset token covers the account's current address, so
    setting a password here proves the customer reads that address: services.user_password_reset_complete."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_reset_complete(user_id=form.user.pk)
        return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details were saved.")
        return redirect("accounts:profile")
    addresses = list(Address.objects.filter(user=request.user))
    return render(request, "accounts/profile.html", {"form": form, "addresses": addresses})


@login_required
def orders(request):
    paginator = Paginator(
        Order.objects.for_user(request.user).prefetch_related("items").order_by("-created_at", "-pk"), ORDERS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "accounts/orders.html", {"page": page, "orders": list(page.object_list)})


@login_required
def address_add(request):
    form = NewAddressForm(request.POST or None, submit_label="Add address")
    if request.method == "POST" and form.is_valid():
        try:
            services.address_create(
                user=request.user, fields=form.address_fields(), make_default=form.cleaned_data["make_default"]
            )
        except services.AddressError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Address added.")
            return redirect("accounts:profile")
    return render(request, "accounts/address_form.html", {"form": form, "is_new": True})


@login_required
def address_edit(request, pk):
    address = get_object_or_404(Address, user=request.user, pk=pk)
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_update(user=request.user, address_id=address.pk, fields=form.address_fields())
        except Address.DoesNotExist as error:  # deleted in another tab meanwhile
            raise Http404("No such address.") from error
        messages.success(request, "Address saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/address_form.html", {"form": form, "is_new": False})


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You are logged out.")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def address_delete(request, pk):
    if request.method == "GET":  # the question first; only the form's POST deletes
        address = get_object_or_404(Address, user=request.user, pk=pk)
        return render(request, "accounts/address_confirm_delete.html", {"address": address})
    try:
        services.address_delete(user=request.user, address_id=pk)
    except Address.DoesNotExist as error:
        raise Http404("No such address.") from error
    messages.success(request, "Address deleted.")
    return redirect("accounts:profile")


@login_required
@require_POST
def address_default(request, pk):
    try:
        services.address_set_default(user=request.user, address_id=pk)
    except Address.DoesNotExist as error:
        raise Http404("No such address.") from error
    messages.success(request, "Default address changed.")
    return redirect("accounts:profile")
