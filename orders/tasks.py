"""Periodic order jobs (CELERY_BEAT_SCHEDULE in settings); the management commands run the same services."""

from celery import shared_task

from orders.services import order_release_expired, order_remind_collection


@shared_task(ignore_result=True)
def release_expired_orders() -> int:
    return len(order_release_expired())


@shared_task(ignore_result=True)
def send_collection_reminders() -> int:
    return order_remind_collection()
