from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from payments.forms import RefundForm
from payments.models import Payment, Refund, WebhookEvent
from payments.services import RefundError, payment_refund


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["created_at", "amount", "provider_refund_id", "reason", "restocked"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = [
        "checkout_session_id",
        "order",
        "provider",
        "status",
        "amount",
        "currency",
        "refunded_amount",
        "created_at",
    ]
    list_filter = ["status", "provider", "created_at"]
    search_fields = ["checkout_session_id", "payment_intent_id", "order__reference", "order__email"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    inlines = [RefundInline]
    actions = ["refund"]
    readonly_fields = [
        "order",
        "provider",
        "attempt",
        "checkout_session_id",
        "checkout_url",
        "payment_intent_id",
        "amount",
        "currency",
        "status",
        "refunded_amount",
        "expires_at",
        "paid_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        refund_url = path(
            "<int:payment_id>/refund/", self.admin_site.admin_view(self.refund_view), name="payments_payment_refund"
        )
        return [refund_url, *super().get_urls()]

    @admin.action(description="Refund the selected payment…", permissions=["change"])
    def refund(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one payment to refund.", messages.WARNING)
            return None
        return redirect("admin:payments_payment_refund", payment_id=queryset.get().pk)

    def refund_view(self, request, payment_id):
        payment = get_object_or_404(Payment.objects.select_related("order"), pk=payment_id)
        if not self.has_change_permission(request, payment):
            raise PermissionDenied
        items = list(payment.order.items.filter(is_refunded=False))
        form = RefundForm(request.POST or None, items=items)
        if request.method == "POST" and form.is_valid():
            try:
                refund = payment_refund(
                    payment_id=payment.pk, item_ids=form.item_ids(), restock=form.cleaned_data["restock"]
                )
            except RefundError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, f"Refunded {refund.amount} {payment.currency.upper()} for {payment.order}.")
                return redirect("admin:payments_payment_change", payment.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Refund {payment.order}",
            "payment": payment,
            "form": form,
            "can_refund": payment.status in {Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED},
            "change_url": reverse("admin:payments_payment_change", args=[payment.pk]),
        }
        return TemplateResponse(request, "admin/payments/payment/refund.html", context)


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "received_at"]
    list_filter = ["type"]
    search_fields = ["event_id"]
    readonly_fields = ["event_id", "type", "received_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
