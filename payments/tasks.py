"""Periodic payment jobs (CELERY_BEAT_SCHEDULE in settings); `manage.py reconcile_payments` runs the same."""

from celery import shared_task

from payments.services import payment_reconcile


@shared_task(ignore_result=True)
def reconcile_payments() -> dict:
    return dict(payment_reconcile())
