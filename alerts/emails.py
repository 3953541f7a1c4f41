"""The alert e-mails (kinds of the notifications outbox): the confirmation link and the daily digest.

Every link is absolute (SITE_URL); every digest has a one-click unsubscribe link (also in its headers).
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse

from alerts import tokens
from alerts.models import Alert
from alerts.services import unsubscribe_url
from animals.models import Animal
from animals.selectors import card_animals
from notifications.kinds import notification_kind
from petshop.links import absolute_url


def _absolute(url: str) -> str:
    return absolute_url(url) if url.startswith("/") else url


@notification_kind("alert-confirmation", template="alerts/email/alert_confirmation")
def alert_confirmation(*, alert_id: int) -> dict:
    alert = Alert.objects.get(pk=alert_id)
    return {
        "subject": f"Confirm your {settings.SHOP_NAME} alert: {alert.description}",
        "alert": alert,
        "confirm_url": absolute_url(reverse("alerts:confirm", args=[tokens.confirm_token(alert.pk)])),
        "days": tokens.CONFIRMATION_DAYS,
    }


@notification_kind("alert-digest", template="alerts/email/alert_digest")
def alert_digest(*, alert_id: int, animal_ids: list[int]) -> dict:
    alert = Alert.objects.get(pk=alert_id)
    animals = list(card_animals(Animal.objects.published().filter(pk__in=animal_ids)).order_by("-created_at", "-pk"))
    no_photo = _absolute(static("animals/no-photo.svg"))
    items = [
        {
            "name": animal.name,
            "price": animal.price,
            "url": absolute_url(animal.get_absolute_url()),
            "photo": _absolute(default_storage.url(animal.main_thumbnail)) if animal.main_thumbnail else no_photo,
            "alt_text": animal.main_alt_text or animal.name,
        }
        for animal in animals
    ]
    count = len(items)
    return {
        "subject": f"{count} new {'animal' if count == 1 else 'animals'} for your alert: {alert.description}",
        "alert": alert,
        "animals": items,
        "unsubscribe_url": unsubscribe_url(alert.pk),
        "alerts_url": absolute_url(reverse("alerts:mine")),
    }
