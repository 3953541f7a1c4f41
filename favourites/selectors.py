"""What the favourites pages and the heart buttons read."""

from dataclasses import dataclass, field

from animals.models import Animal
from animals.selectors import card_animals
from favourites.models import Favourite

SIMILAR = 3


@dataclass
class FavouriteRow:
    animal: Animal
    notify: bool = False
    similar: list[Animal] = field(default_factory=list)


def favourite_ids(*, user=None, guest_ids=()) -> list[int]:
    """The saved animals' ids: a customer's from the database, a guest's as given (from their session)."""
    if user is not None and user.is_authenticated:
        return list(Favourite.objects.for_user(user).values_list("animal_id", flat=True))
    return list(guest_ids)


def similar_animals(*, animal: Animal, limit: int = SIMILAR) -> list[Animal]:
    """Available animals like `animal`: its breed first, then its species, newest first."""
    others = Animal.objects.available().filter(species_id=animal.species_id).exclude(pk=animal.pk)
    same_breed = list(card_animals(others.filter(breed_id=animal.breed_id)).order_by("-created_at", "-pk")[:limit])
    if len(same_breed) < limit:
        rest = others.exclude(pk__in=[a.pk for a in same_breed]).order_by("-created_at", "-pk")
        same_breed += list(card_animals(rest)[: limit - len(same_breed)])
    return same_breed


def favourite_list(*, animal_ids: list[int], notify_ids=frozenset()) -> list[FavouriteRow]:
    """The listed favourites among `animal_ids`, in that order, as cards with their current status; a sold one
    with similar available animals."""
    animals = {a.pk: a for a in card_animals(Animal.objects.published().filter(pk__in=animal_ids))}
    rows = []
    for pk in animal_ids:
        animal = animals.get(pk)
        if animal is None:
            continue
        row = FavouriteRow(animal=animal, notify=pk in notify_ids)
        if animal.status == Animal.Status.SOLD:
            row.similar = similar_animals(animal=animal)
        rows.append(row)
    return rows


def notify_ids(*, user) -> set[int]:
    """The animals a customer waits to hear about (reserved favourites, "e-mail me")."""
    return set(
        Favourite.objects.for_user(user).filter(notify_requested_at__isnull=False).values_list("animal_id", flat=True)
    )
