"""Staff view of the orders. Status and money only change through the actions, which call the services."""

import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone

from orders.models import Order, OrderItem
from orders.services import OrderError, order_cancel, order_complete, order_mark_ready


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    fields = ["animal_name", "animal", "unit_price", "quantity", "line_total", "is_refunded"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _apply(modeladmin, request, queryset, service, done):
    changed = 0
    for order in queryset.order_by("pk"):
        try:
            service(order_id=order.pk)
        except OrderError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"{changed} order{'s' if changed != 1 else ''} {done}.", messages.SUCCESS)


@admin.action(description="Mark ready for collection")
def mark_ready(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, order_mark_ready, "marked ready for collection")


@admin.action(description="Mark collected (completed)")
def mark_collected(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, order_complete, "marked collected")


@admin.action(description="Cancel (returns the animals to stock)")
def cancel(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, order_cancel, "cancelled")


CSV_COLUMNS = [
    "reference",
    "created",
    "status",
    "email",
    "name",
    "phone",
    "collection date",
    "total",
    "currency",
    "lines",
]


@admin.action(description="Export selected orders as CSV")
def export_csv(modeladmin, request, queryset):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="orders-{timezone.localdate().isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for order in queryset.prefetch_related("items").order_by("pk"):
        lines = "; ".join(f"{item.quantity} x {item.animal_name} @ {item.unit_price}" for item in order.items.all())
        row = [
            order.reference,
            timezone.localtime(order.created_at).isoformat(timespec="seconds"),
            order.status,
            order.email,
            order.full_name,
            order.phone,
            order.collection_date.isoformat(),
            f"{order.total:.2f}",
            order.currency.upper(),
            lines,
        ]
        writer.writerow([_safe_cell(str(value)) for value in row])
    return response


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula: every cell, since customers type more than their name
    (an e-mail address such as `=cmd|'/Ccalc'!A0@example.com` is valid). A leading quote makes it plain text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


# When the order was reserved, made and moved along: shown, never edited.
HISTORY_FIELDS = [
    "reserved_until",
    "created_at",
    "updated_at",
    "paid_at",
    "ready_at",
    "completed_at",
    "cancelled_at",
    "expired_at",
    "refunded_at",
]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "customer", "total", "currency", "status", "collection_date", "created_at"]
    list_filter = ["status", "collection_date", "created_at"]
    search_fields = ["reference", "email"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    actions = [mark_ready, mark_collected, cancel, export_csv]
    inlines = [OrderItemInline]
    readonly_fields = ["reference", "status", "user", "total", "currency", *HISTORY_FIELDS]
    fieldsets = [
        (None, {"fields": ["reference", "status", "user", "total", "currency", "collection_date", "note"]}),
        ("Customer", {"fields": ["email", "full_name", "phone"]}),
        ("Billing address", {"fields": ["address_line1", "address_line2", "city", "postcode", "country"]}),
        ("History", {"fields": HISTORY_FIELDS}),
    ]

    @admin.display(description="Customer", ordering="email")
    def customer(self, order):
        return f"{order.full_name} <{order.email}>"

    def has_add_permission(self, request):
        return False  # orders are placed through checkout, which takes the stock

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead, which returns the stock
