from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications (e-mail outbox)"

    def ready(self):
        # Each app declares its e-mail kinds in its emails.py (notifications.kinds.notification_kind).
        autodiscover_modules("emails")
