"""The e-mail a customer asked for on a reserved favourite (a kind of the notifications outbox)."""

from django.conf import settings

from favourites.models import Favourite
from notifications.kinds import notification_kind
from petshop.links import absolute_url


@notification_kind("favourite-available", template="favourites/email/favourite_available")
def favourite_available(*, favourite_id: int) -> dict:
    favourite = Favourite.objects.select_related("animal__species", "user").get(pk=favourite_id)
    animal = favourite.animal
    return {
        "subject": f"{animal.name} is available again at {settings.SHOP_NAME}",
        "user": favourite.user,
        "animal": animal,
        "animal_url": absolute_url(animal.get_absolute_url()),
    }
