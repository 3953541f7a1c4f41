"""Staff view of the outbox: every e-mail, its status and last error; failed or sent ones can be resent."""

from django.contrib import admin, messages

from notifications.kinds import KINDS
from notifications.models import Notification
from notifications.services import NotificationError, notification_resend

HIDDEN = "(hidden: this e-mail holds a one-time link)"


@admin.action(description="Send again")
def resend(modeladmin, request, queryset):
    queued = 0
    for notification in queryset.order_by("pk"):
        try:
            notification_resend(notification_id=notification.pk)
        except NotificationError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
        else:
            queued += 1
    if queued:
        modeladmin.message_user(request, f"{queued} e-mail{'s' if queued != 1 else ''} queued again.", messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    actions = [resend]
    fields = [
        "kind",
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "dedupe_key",
        "message_id",
        "text",
        "html",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Message-ID")
    def message_id(self, notification):
        return notification.message_id

    def _hidden(self, notification) -> bool:
        kind = KINDS.get(notification.kind)
        return kind is not None and kind.sensitive

    @admin.display(description="Text body")
    def text(self, notification):
        return HIDDEN if self._hidden(notification) else notification.body_text

    @admin.display(description="HTML body (source)")
    def html(self, notification):
        return HIDDEN if self._hidden(notification) else notification.body_html
