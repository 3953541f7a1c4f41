"""Alert jobs: matching newly published animals (queued on publishing) and the periodic ones (petshop/celery.py)."""

from alerts.services import alert_digests_send, alerts_delete_unconfirmed, alerts_match
from petshop.celery import app


@app.task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def alert_match_animals(animal_ids: list[int]) -> int:
    return alerts_match(animal_ids=animal_ids)


@app.task(ignore_result=True)
def send_alert_digests() -> int:
    return alert_digests_send()


@app.task(ignore_result=True)
def delete_unconfirmed_alerts() -> int:
    return alerts_delete_unconfirmed()
