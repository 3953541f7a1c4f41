"""Alerts ("tell me when a new one arrives"): asking, confirming, matching new animals, the daily digest.

- `alert_request()` makes an unconfirmed alert and queues the confirmation e-mail (double opt-in): nothing
  else is ever sent to an address that did not confirm.
- `alerts_animals_published()` (called where staff publish) matches the new animals after the commit, in a job
  (`alerts_match`): one AlertMatch per alert and animal, so publishing an animal again adds nothing.
- `alert_digests_send()` (beat job) sends each confirmed alert at most one e-mail a day, listing every match
  not yet sent that is still published, under the alert's row lock and a dedupe key per alert and day.
"""

import logging
import uuid
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.email_limits import email_allowed
from alerts import tokens
from alerts.models import Alert, AlertMatch
from alerts.selectors import selection_describe, selection_filters, selection_query
from animals.models import Animal
from notifications.services import notification_queue
from petshop.links import absolute_url

logger = logging.getLogger(__name__)

MAX_ALERTS_PER_ADDRESS = 10


class AlertError(Exception):
    """A message a visitor can read; nothing was changed."""


class AlertLimitReached(AlertError):
    pass


def _normalise(email: str) -> str:
    return email.strip().lower()


def alert_request(*, email: str, query: str, ip: str) -> Alert | None:
    """Ask for an alert on a catalogue selection: the alert (unconfirmed until its link is followed) with its
    confirmation e-mail queued, or None when nothing was sent (over the e-mail flood limits, or the alert is
    confirmed already). Raises AlertLimitReached for an address with MAX_ALERTS_PER_ADDRESS alerts.
    """
    email = _normalise(email)
    filters = selection_filters(query)
    query = selection_query(filters)
    alerts = Alert.objects.for_email(email)
    existing = alerts.filter(query=query).first()
    if existing is not None and existing.confirmed_at is not None:
        return None
    if existing is None and alerts.count() >= MAX_ALERTS_PER_ADDRESS:
        raise AlertLimitReached(
            f"You have {MAX_ALERTS_PER_ADDRESS} alerts already: delete one in your account to set another."
        )
    if not email_allowed(email=email, ip=ip):
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                alert, _ = Alert.objects.get_or_create(
                    email=email, query=query, defaults={"description": selection_describe(filters)}
                )
        except IntegrityError:  # the same alert asked for at the same moment
            alert = Alert.objects.get(email=email, query=query)
        notification_queue(
            kind="alert-confirmation",
            to=email,
            context={"alert_id": alert.pk},
            dedupe_key=f"alert-confirmation:{alert.pk}:{uuid.uuid4().hex}",
        )
    return alert


@transaction.atomic
def alert_confirm(*, token: str) -> Alert:
    """Confirm the alert of a confirmation link (repeating it is harmless)."""
    alert_id = tokens.confirm_alert_id(token)
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first() if alert_id else None
    if alert is None:
        raise AlertError("This link has expired or is not valid: please set the alert again.")
    if alert.confirmed_at is None:
        alert.confirmed_at = timezone.now()
        alert.save(update_fields=["confirmed_at"])
    return alert


def alert_unsubscribe(*, token: str) -> str:
    """Delete the alert of an unsubscribe link; its description. Repeating it is harmless."""
    alert_id = tokens.unsubscribe_alert_id(token)
    if alert_id is None:
        raise AlertError("This unsubscribe link is not valid.")
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None:
        return ""
    alert.delete()
    return alert.description


def alert_delete(*, alert_id: int, email: str) -> None:
    """A customer deletes one of their alerts (those of their address)."""
    deleted, _ = Alert.objects.for_email(email).filter(pk=alert_id).delete()
    if not deleted:
        raise AlertError("This alert does not exist (any more).")


def alerts_animals_published(*, animal_ids) -> None:
    """Staff published `animal_ids`: match them against the confirmed alerts once the change commits."""
    from alerts.tasks import alert_match_animals

    ids = sorted(int(pk) for pk in animal_ids)
    if ids:
        alert_match_animals.delay_on_commit(ids)


def alerts_match(*, animal_ids) -> int:
    """Record which confirmed alerts `animal_ids` (those still published) match; how many matches are new.

    Safe to run twice: a match is recorded once per alert and animal.
    """
    new_animals = Animal.objects.published().filter(pk__in=list(animal_ids))
    if not new_animals.exists():
        return 0
    matches = []
    for alert in Alert.objects.confirmed().order_by("pk"):
        matched = selection_filters(alert.query).filter(new_animals).values_list("pk", flat=True)
        matches += [AlertMatch(alert=alert, animal_id=pk) for pk in matched]
    recorded = AlertMatch.objects.filter(animal__in=new_animals)
    before = recorded.count()
    AlertMatch.objects.bulk_create(matches, ignore_conflicts=True)
    return recorded.count() - before


def unsubscribe_url(alert_id: int) -> str:
    from django.urls import reverse

    return absolute_url(reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(alert_id)]))


def _digest_send(alert_id: int, today: date) -> bool:
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(skip_locked=True)
            .confirmed()
            .filter(pk=alert_id)
            .exclude(last_digest_on=today)
            .first()
        )
        if alert is None:  # sent today already, or another worker is sending it
            return False
        pending = alert.matches.filter(sent_on__isnull=True)
        # Still published and still matching: an alert never shows an animal staff have taken back.
        shown = list(
            selection_filters(alert.query)
            .filter(Animal.objects.published().filter(pk__in=pending.values("animal_id")))
            .values_list("pk", flat=True)
        )
        if not shown:
            return False
        url = unsubscribe_url(alert.pk)
        notification_queue(
            kind="alert-digest",
            to=alert.email,
            context={"alert_id": alert.pk, "animal_ids": shown},
            dedupe_key=f"alert-digest:{alert.pk}:{today.isoformat()}",
            headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        pending.filter(animal_id__in=shown).update(sent_on=today)
        alert.last_digest_on = today
        alert.save(update_fields=["last_digest_on"])
        return True


def alert_digests_send(*, today: date | None = None) -> int:
    """Queue today's digest of each confirmed alert with new matches and none sent today; how many.

    Each alert in its own transaction under its row lock (skipped when another worker holds it), with a dedupe
    key per alert and day: two workers, or the job run twice, queue one e-mail per alert and day.
    """
    today = today or timezone.localdate()
    alert_ids = (
        Alert.objects.confirmed()
        .filter(matches__sent_on__isnull=True)
        .exclude(last_digest_on=today)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = sum(_digest_send(alert_id, today) for alert_id in list(alert_ids))
    if sent:
        logger.info("alert digests queued", extra={"count": sent})
    return sent


def alerts_delete_unconfirmed(*, now: datetime | None = None) -> int:
    """Delete the alerts not confirmed within CONFIRMATION_DAYS; how many."""
    cutoff = (now or timezone.now()) - timedelta(days=tokens.CONFIRMATION_DAYS)
    deleted, _ = Alert.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted
