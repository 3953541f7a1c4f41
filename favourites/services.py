"""Changes to favourites: saving, removing, a guest's joining their account, and the "available again" e-mail."""

import logging

from django.db import transaction
from django.utils import timezone

from animals.models import Animal
from favourites.models import Favourite
from notifications.services import notification_queue

logger = logging.getLogger(__name__)

MAX_FAVOURITES = 100


class FavouriteError(Exception):
    """A message a customer can read; nothing was changed."""


def favourite_check(*, animal_id: int, saved: bool, count: int) -> None:
    """Refuse saving an animal that is not listed, or one more than MAX_FAVOURITES (`count` saved already)."""
    if not saved:
        return
    if not Animal.objects.published().filter(pk=animal_id).exists():
        raise FavouriteError("This animal is no longer listed.")
    if count >= MAX_FAVOURITES:
        raise FavouriteError(f"You can keep up to {MAX_FAVOURITES} favourites: remove one first.")


@transaction.atomic
def favourite_set(*, user, animal_id: int, saved: bool) -> bool:
    """Save or remove a customer's favourite (either is safe to repeat); returns whether it is saved now."""
    favourites = Favourite.objects.for_user(user)
    if not saved:
        favourites.filter(animal_id=animal_id).delete()
        return False
    if favourites.filter(animal_id=animal_id).exists():
        return True
    favourite_check(animal_id=animal_id, saved=True, count=favourites.count())
    Favourite.objects.get_or_create(user=user, animal_id=animal_id)
    return True


@transaction.atomic
def favourites_join_account(*, user, animal_ids: list[int]) -> int:
    """A guest's favourites (from their session) join their account at log-in; how many were new.

    Animals no longer listed are left out, and the account keeps at most MAX_FAVOURITES.
    """
    have = set(Favourite.objects.for_user(user).values_list("animal_id", flat=True))
    room = max(MAX_FAVOURITES - len(have), 0)
    listed = set(Animal.objects.published().filter(pk__in=animal_ids).values_list("pk", flat=True))
    new = [pk for pk in dict.fromkeys(animal_ids) if pk in listed and pk not in have][:room]
    Favourite.objects.bulk_create([Favourite(user=user, animal_id=pk) for pk in new], ignore_conflicts=True)
    return len(new)


@transaction.atomic
def favourite_notify_set(*, user, animal_id: int, notify: bool) -> Favourite:
    """Ask (or stop asking) for an e-mail when a reserved favourite is available again."""
    favourite = Favourite.objects.select_for_update().filter(user=user, animal_id=animal_id).first()
    if favourite is None:
        raise FavouriteError("Save this animal to your favourites first.")
    if notify:
        animal = Animal.objects.published().with_reservation().filter(pk=animal_id).first()
        if animal is None or animal.status != Animal.Status.RESERVED:
            raise FavouriteError("You can ask for this e-mail while the animal is reserved by someone else.")
        favourite.notify_requested_at = favourite.notify_requested_at or timezone.now()
    else:
        favourite.notify_requested_at = None
    favourite.save(update_fields=["notify_requested_at"])
    return favourite


def favourites_reservation_ended(*, animal_ids) -> int:
    """Some stock of `animal_ids` went back on sale (a reservation expired or was cancelled): queue one e-mail
    to each customer waiting for one of them that is available now, in the caller's transaction; how many."""
    available = Animal.objects.available().filter(pk__in=list(animal_ids)).values_list("pk", flat=True)
    waiting = Favourite.objects.waiting_for(list(available)).select_related("user").select_for_update().order_by("pk")
    queued = 0
    for favourite in waiting:
        notification_queue(
            kind="favourite-available",
            to=favourite.user.email,
            context={"favourite_id": favourite.pk},
            dedupe_key=f"favourite-available:{favourite.pk}:{favourite.notify_requested_at.timestamp():.0f}",
        )
        favourite.notify_requested_at = None
        favourite.save(update_fields=["notify_requested_at"])
        queued += 1
    if queued:
        logger.info("favourites told: available again", extra={"count": queued})
    return queued
