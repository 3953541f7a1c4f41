"""The digest job on two real Celery workers (processes on Redis, the test database and an SMTP server on loopback):
run several times at once, it still delivers one e-mail per alert, with its List-Unsubscribe header."""

import pytest
from django.utils import timezone

from alerts.models import Alert
from alerts.services import alerts_match
from alerts.tasks import send_alert_digests
from animals.models import Animal
from notifications.models import Notification
from notifications.tests.conftest import smtp_server  # noqa: F401
from notifications.tests.test_worker import broker, wait_for, workers  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_two_workers_running_the_digest_job_four_times_send_one_e_mail_per_alert(
    workers,  # noqa: F811
    smtp_server,  # noqa: F811
    new_rabbit,
):
    alerts = [
        Alert.objects.create(
            email=f"pair{n}@example.com", query="species=rabbits", description="Rabbit", confirmed_at=timezone.now()
        )
        for n in range(6)
    ]
    animal = new_rabbit()
    Animal.objects.filter(pk=animal.pk).update(is_published=True)
    alerts_match(animal_ids=[animal.pk])
    workers("one", smtp_server.port)
    workers("two", smtp_server.port)
    for _ in range(4):
        send_alert_digests.delay()

    def all_sent():
        sent = Notification.objects.filter(kind="alert-digest", status=Notification.Status.SENT).count()
        return sent == len(alerts)

    wait_for(all_sent, what="a digest sent for every alert")
    wait_for(lambda: len(smtp_server.recorder.messages) >= len(alerts), what="the messages received")
    messages = smtp_server.recorder.messages
    assert sorted(m["To"] for m in messages) == sorted(a.email for a in alerts)
    assert all(str(m["List-Unsubscribe"]).startswith("<http") for m in messages), [
        m["List-Unsubscribe"] for m in messages
    ]
    assert Notification.objects.filter(kind="alert-digest").count() == len(alerts)
