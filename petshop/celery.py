"""The Celery application, set up as Celery's guide for Django does: settings prefixed CELERY_ in settings.py.

Production runs `celery -A petshop worker` and `celery -A petshop beat` next to gunicorn (README.md); Celery finds
this module's `app` from that name. The tasks are declared on this app (`@app.task`), so a web process imports
Celery only when it first queues one (an e-mail, an alert match), not with Django: `@shared_task` would need the
app loaded in every process at start-up (from petshop/__init__.py), and most web workers never queue anything.
The beat schedule is here too, because its crontab entries are Celery objects that settings.py cannot build
without importing Celery.
"""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petshop.settings")

app = Celery("petshop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = {
    "expire-unpaid-orders": {"task": "orders.tasks.release_expired_orders", "schedule": 60.0},
    "reconcile-payments": {"task": "payments.tasks.reconcile_payments", "schedule": 300.0},
    "collection-reminders": {
        "task": "orders.tasks.send_collection_reminders",
        "schedule": crontab(hour=settings.SHOP_REMINDER_HOUR, minute=0),
    },
    "requeue-stuck-notifications": {"task": "notifications.tasks.notification_sweep", "schedule": 60.0},
    "prune-sent-notifications": {
        "task": "notifications.tasks.notification_prune",
        "schedule": crontab(hour=3, minute=30),
    },
    # At most one e-mail per alert a day (alerts.services): the first new match of a day goes out within 15 minutes.
    "alert-digests": {"task": "alerts.tasks.send_alert_digests", "schedule": crontab(minute="*/15")},
    "delete-unconfirmed-alerts": {
        "task": "alerts.tasks.delete_unconfirmed_alerts",
        "schedule": crontab(hour=4, minute=0),
    },
}
app.autodiscover_tasks()
