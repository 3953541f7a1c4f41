"""The session cart: only animal ids and quantities live in the session; everything else is read fresh."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from animals.models import Animal, AnimalPhoto

SESSION_KEY = "cart"
MAX_DISTINCT_LINES = 100
MAX_QUANTITY = 999
MAX_ANIMAL_ID = 2**63 - 1  # the largest primary key the database can hold


@dataclass
class CartLine:
    animal: Animal
    quantity: int

    @property
    def unit_price(self):
        return self.animal.price

    @property
    def line_total(self):
        return self.animal.price * self.quantity

    @property
    def is_individual(self):
        """One animal of its kind (stock 1): it can be in the cart once, so there is no quantity to choose."""
        return self.animal.stock <= 1

    @property
    def photo(self):
        """The main photo when it has a thumbnail, or None (photos are prefetched, main first: no query)."""
        photos = self.animal.photos.all()
        return photos[0] if photos and photos[0].thumbnail else None


def _animal_id(key):
    """The animal id a session key stands for, or None when the key is junk (only `str(pk)` is ever written)."""
    if isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 19:
        number = int(key)
        if 0 < number <= MAX_ANIMAL_ID and str(number) == key:
            return number
    return None


class Cart:
    def __init__(self, session):
        self.session = session
        self._data = self._clean(session.get(SESSION_KEY))

    @staticmethod
    def _clean(raw):
        """Keep only well-formed `{"<positive int>": positive int}` entries (a tampered session changes nothing)."""
        if not isinstance(raw, dict):
            return {}
        cleaned = {}
        for key, value in raw.items():
            animal_id = _animal_id(key)
            if animal_id is not None and type(value) is int and 0 < value <= MAX_QUANTITY:
                cleaned[key] = value
            if len(cleaned) >= MAX_DISTINCT_LINES:
                break
        return cleaned

    def _save(self):
        self.session[SESSION_KEY] = dict(self._data)
        self.session.modified = True

    def __len__(self):
        """Number of animals (sum of quantities): what the header badge shows."""
        return sum(self._data.values())

    def __bool__(self):
        return bool(self._data)

    def __contains__(self, animal_id):
        return str(animal_id) in self._data

    @property
    def is_full(self):
        return len(self._data) >= MAX_DISTINCT_LINES

    def quantities(self) -> dict[int, int]:
        return {int(key): value for key, value in self._data.items()}

    def quantity_of(self, animal_id: int) -> int:
        return self._data.get(str(animal_id), 0)

    def set(self, animal_id: int, quantity: int):
        """Store a quantity already checked against stock (see cart.services)."""
        if quantity <= 0:
            self._data.pop(str(animal_id), None)
        else:
            self._data[str(animal_id)] = min(quantity, MAX_QUANTITY)
        self._save()

    def remove(self, animal_id: int):
        self._data.pop(str(animal_id), None)
        self._save()

    def clear(self):
        self._data = {}
        self.session.pop(SESSION_KEY, None)
        self.session.modified = True

    def lines(self) -> tuple[list[CartLine], list[str]]:
        """Read the cart's animals (one query, plus one for their photos) and correct the cart against stock.

        Returns the lines and a list of messages for the customer about what was dropped or reduced.
        """
        quantities = self.quantities()
        if not quantities:
            return [], []
        animals = (
            Animal.objects.filter(pk__in=quantities)
            .select_related("species", "breed")
            .prefetch_related(Prefetch("photos", queryset=AnimalPhoto.objects.order_by("-is_main", "position", "pk")))
            .order_by("pk")
        )
        found = {animal.pk: animal for animal in animals}
        lines, notes = [], []
        changed = False
        for animal_id, quantity in quantities.items():
            animal = found.get(animal_id)
            if animal is None:
                notes.append("An animal in your cart is no longer listed and was removed.")
                self._data.pop(str(animal_id))
                changed = True
            elif not animal.is_available:
                notes.append(f"{animal.name} is no longer available and was removed from your cart.")
                self._data.pop(str(animal_id))
                changed = True
            elif quantity > animal.stock:
                notes.append(f"Only {animal.stock} of {animal.name} left: your cart was reduced to {animal.stock}.")
                self._data[str(animal_id)] = animal.stock
                lines.append(CartLine(animal, animal.stock))
                changed = True
            else:
                lines.append(CartLine(animal, quantity))
        if changed:
            self._save()
        return lines, notes

    @staticmethod
    def subtotal(lines) -> Decimal:
        return sum((line.line_total for line in lines), Decimal("0.00"))
