"""Periodic order jobs (the beat schedule in petshop/celery.py); the management commands run the same services."""

from orders.services import order_release_expired, order_remind_collection
from petshop.celery import app


@app.task(ignore_result=True)
def release_expired_orders() -> int:
    return len(order_release_expired())


@app.task(ignore_result=True)
def send_collection_reminders() -> int:
    return order_remind_collection()
