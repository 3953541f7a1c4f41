"""Staff view of the orders. Status and money only change through the services: the list actions, and the
buttons on an order's page (each with its confirmation page), which also write the order's history."""

import csv
from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from orders.forms import HandOverForm
from orders.handover import handover_pack_available
from orders.models import Order, OrderItem
from orders.selectors import collections
from orders.services import OrderError, order_cancel, order_hand_over, order_mark_ready, refundable_lines
from orders.views import handover_pack_download
from payments.forms import RefundForm
from payments.models import Payment
from payments.services import RefundError, order_refund, refundable_payment
from petshop.money import format_money


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
            service(order_id=order.pk, by=request.user)
        except OrderError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"{changed} order{'s' if changed != 1 else ''} {done}.", messages.SUCCESS)


@admin.action(description="Mark ready for collection", permissions=["change"])
def mark_ready(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, order_mark_ready, "marked ready for collection")


@admin.action(description="Cancel (returns the animals to stock)", permissions=["change"])
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
    "handed_over_by",
    "cancelled_at",
    "expired_at",
    "refunded_at",
]


class CollectionDayFilter(admin.SimpleListFilter):
    """Collection day as staff plan the work: today, tomorrow, the next 7 days, or past."""

    title = "collection day"
    parameter_name = "collection"

    def lookups(self, request, model_admin):
        return [("today", "Today"), ("tomorrow", "Tomorrow"), ("next7", "Next 7 days"), ("past", "Past")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "today":
                return queryset.filter(collection_date=today)
            case "tomorrow":
                return queryset.filter(collection_date=today + timedelta(days=1))
            case "next7":
                return queryset.filter(collection_date__range=(today, today + timedelta(days=6)))
            case "past":
                return queryset.filter(collection_date__lt=today)
        return queryset


# The buttons on an order's page: (action, label, the status it moves the order to).
ORDER_ACTIONS = {
    "mark_ready": ("Mark ready", Order.Status.READY_FOR_COLLECTION),
    "hand_over": ("Hand over", Order.Status.COMPLETED),
    "cancel": ("Cancel order", Order.Status.CANCELLED),
}
CONFIRM_TEXT = {
    "mark_ready": "The order becomes ready for collection and the customer is told so by e-mail.",
    "cancel": "The order is cancelled and its animals go back to stock. No money is refunded: refund it separately.",
}


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["reference", "buyer", "collection_day", "status_badge", "formatted_total"]
    list_filter = ["status", CollectionDayFilter, "created_at"]
    search_fields = ["reference", "email", "full_name", "phone"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    actions = [mark_ready, cancel, export_csv]
    inlines = [OrderItemInline]
    readonly_fields = ["reference", "status", "user", "total", "currency", *HISTORY_FIELDS]
    fieldsets = [
        (None, {"fields": ["reference", "status", "user", "total", "currency", "collection_date", "note"]}),
        ("Customer", {"fields": ["email", "full_name", "phone"]}),
        ("Billing address", {"fields": ["address_line1", "address_line2", "city", "postcode", "country"]}),
        ("Dates", {"fields": HISTORY_FIELDS}),
    ]

    @admin.display(description="Buyer", ordering="full_name")
    def buyer(self, order):
        return format_html("{}<br><small>{}</small>", order.full_name, order.phone)

    @admin.display(description="Collection day", ordering="collection_date")
    def collection_day(self, order):
        return format_html(
            "{}<br><small>{}</small>", order.collection_date.strftime("%a %d %b"), order.collection_date.year
        )

    @admin.display(description="Status", ordering="status")
    def status_badge(self, order):
        return format_html('<span class="status-badge status-{}">{}</span>', order.status, order.get_status_display())

    @admin.display(description="Total", ordering="total")
    def formatted_total(self, order):
        return format_money(order.total, order.currency)

    def has_add_permission(self, request):
        return False  # orders are placed through checkout, which takes the stock

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead, which returns the stock

    def get_urls(self):
        def view(function, route, name):
            return path(route, self.admin_site.admin_view(function), name=f"orders_order_{name}")

        return [
            view(self.collections_view, "collections/", "collections"),
            view(self.mark_ready_view, "<int:order_id>/mark-ready/", "mark_ready"),
            view(self.hand_over_view, "<int:order_id>/hand-over/", "hand_over"),
            view(self.cancel_view, "<int:order_id>/cancel/", "cancel"),
            view(self.refund_view, "<int:order_id>/refund/", "refund"),
            view(self.handover_pack_view, "<int:order_id>/handover-pack/", "handover_pack"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, object_id)
        extra = {}
        if order is not None:
            extra["events"] = order.events.select_related("by")
            extra["order_actions"] = self._buttons(request, order)
            if handover_pack_available(order):
                extra["handover_pack_url"] = reverse("admin:orders_order_handover_pack", args=[order.pk])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _buttons(self, request, order):
        """The (label, url) of every move the order's status allows now; none for staff who may only look."""
        if not self.has_change_permission(request, order):
            return []
        buttons = [
            (label, reverse(f"admin:orders_order_{action}", args=[order.pk]))
            for action, (label, status) in ORDER_ACTIONS.items()
            if order.can_become(status)
        ]
        if refundable_payment(order_id=order.pk) is not None:
            buttons.append(("Refund", reverse("admin:orders_order_refund", args=[order.pk])))
        return buttons

    # The action pages: GET shows what will happen and asks for confirmation, POST does it through the service.

    def _order_for_action(self, request, order_id):
        order = get_object_or_404(Order, pk=order_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        return order

    def _back(self, order):
        return HttpResponseRedirect(reverse("admin:orders_order_change", args=[order.pk]))

    def _render(self, request, order, action, title, context):
        return TemplateResponse(
            request,
            "admin/orders/order/action_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": order,
                "order": order,
                "title": title,
                "action": action,
                "items": order.items.all(),
                "total": format_money(order.total, order.currency),
                **context,
            },
        )

    def _simple_action(self, request, order_id, action, service, done):
        order = self._order_for_action(request, order_id)
        label, status = ORDER_ACTIONS[action]
        if request.method == "POST":
            try:
                service(order_id=order.pk, by=request.user)
            except OrderError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Order {order.reference} {done}.", messages.SUCCESS)
            return self._back(order)
        context = {"allowed": order.can_become(status), "explanation": CONFIRM_TEXT[action], "button": label}
        return self._render(request, order, action, f"{label}: {order.reference}", context)

    def mark_ready_view(self, request, order_id):
        return self._simple_action(request, order_id, "mark_ready", order_mark_ready, "is ready for collection")

    def cancel_view(self, request, order_id):
        return self._simple_action(request, order_id, "cancel", order_cancel, "is cancelled")

    def hand_over_view(self, request, order_id):
        order = self._order_for_action(request, order_id)
        form = HandOverForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                order_hand_over(order_id=order.pk, by=request.user, **form.cleaned_data)
            except OrderError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Order {order.reference} is handed over and completed.", messages.SUCCESS)
            return self._back(order)
        context = {
            "allowed": order.can_become(Order.Status.COMPLETED),
            "form": form,
            "explanation": "Tick each item once it is done; the order then becomes completed.",
            "button": "Hand over",
        }
        return self._render(request, order, "hand_over", f"Hand over: {order.reference}", context)

    def refund_view(self, request, order_id):
        """Two steps: the form (whole order or lines, restock), then a confirmation page that posts it again."""
        order = self._order_for_action(request, order_id)
        payment = refundable_payment(order_id=order.pk)
        items = refundable_lines(order)
        not_handed_over = order.status in Order.AWAITING_COLLECTION
        form = RefundForm(request.POST or None, items=items, initial={"restock": not_handed_over})
        context = {"allowed": payment is not None, "form": form, "button": "Continue", "payment": payment}
        if payment is not None:
            context["paid"] = format_money(payment.amount, payment.currency)
            context["refunded"] = format_money(payment.refunded_amount, payment.currency)
        if request.method == "POST" and form.is_valid():
            if "confirm" not in request.POST:
                context.update(confirming=True, button="Refund", summary=self._refund_summary(form, items, payment))
            else:
                try:
                    refund = order_refund(
                        order_id=order.pk,
                        item_ids=form.item_ids(),
                        restock=form.cleaned_data["restock"],
                        by=request.user,
                    )
                except RefundError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        f"Refunded {format_money(refund.amount, payment.currency)} for {order}.",
                        messages.SUCCESS,
                    )
                return self._back(order)
        return self._render(request, order, "refund", f"Refund: {order.reference}", context)

    @staticmethod
    def _refund_summary(form, items, payment: Payment) -> dict:
        chosen = form.item_ids()
        lines = items if chosen is None else [item for item in items if item.pk in set(chosen)]
        amount = payment.remaining_amount if chosen is None else sum(item.line_total for item in lines)
        return {
            "lines": lines,
            "amount": format_money(min(amount, payment.remaining_amount), payment.currency),
            "restock": form.cleaned_data["restock"],
        }

    def handover_pack_view(self, request, order_id):
        """The order's handover pack (PDF), for staff who may see orders, once the order is paid."""
        order = get_object_or_404(Order, pk=order_id)
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        if not handover_pack_available(order):
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": order,
                "order": order,
                "title": f"Handover pack: {order.reference}",
            }
            return TemplateResponse(request, "admin/orders/order/handover_pack_unavailable.html", context, status=403)
        return handover_pack_download(order)

    def collections_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Collections",
            "subtitle": f"{today:%A %d %B %Y} and the next 7 days",
            "days": collections(today=today, days=7),
            "can_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/orders/order/collections.html", context)
