"""Periodic payment jobs (the beat schedule in petshop/celery.py); `manage.py reconcile_payments` runs the same."""

from payments.services import payment_reconcile
from petshop.celery import app


@app.task(ignore_result=True)
def reconcile_payments() -> dict:
    return dict(payment_reconcile())
