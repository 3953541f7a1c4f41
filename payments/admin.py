from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from payments.models import Payment, Refund, WebhookEvent


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
    readonly_fields = [
        "order_link",
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

    @admin.display(description="Order")
    def order_link(self, payment):
        """Refunds are made from the order's page (Refund button), which records them in its history."""
        url = reverse("admin:orders_order_change", args=[payment.order_id])
        return format_html('<a href="{}">{}</a> (refund from the order\'s page)', url, payment.order)


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
