"""Outbox jobs: each takes ids or nothing and is safe to run twice."""

from notifications import services
from petshop.celery import app

# A retry further away than this is not held by a worker as a delayed message (Redis would hand it to another
# worker after the visibility timeout): the sweep picks the row up once it is due.
COUNTDOWN_LIMIT = 600


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notification_deliver(self, notification_id: int) -> str:
    result = services.notification_send(notification_id=notification_id)
    if result.outcome == "retry" and not self.request.is_eager and result.retry_in <= COUNTDOWN_LIMIT:
        # In eager mode (no broker) nothing is retried in the request: the row waits, pending, for a resend.
        notification_deliver.apply_async((notification_id,), countdown=result.retry_in)
    return result.outcome


@app.task(ignore_result=True)
def notification_sweep() -> int:
    return services.notification_requeue_stuck()


@app.task(ignore_result=True)
def notification_prune() -> int:
    return services.notification_prune()
