"""Every change to the session cart: the animal is always read from the database and capped by its stock."""

from animals.models import Animal
from cart.cart import MAX_DISTINCT_LINES, Cart


class CartError(Exception):
    """A message a customer can read; the cart was not changed."""


def _available_animal(animal_id: int) -> Animal:
    animal = Animal.objects.available().filter(pk=animal_id).first()
    if animal is None:
        raise CartError("Sorry, that animal is not available.")
    return animal


def cart_add(*, cart: Cart, animal_id: int, quantity: int) -> str:
    """Add `quantity` of an animal, capped by its stock now; return what happened in words."""
    animal = _available_animal(animal_id)
    already = cart.quantity_of(animal.pk)
    if already >= animal.stock:
        if animal.stock == 1:
            raise CartError(f"{animal.name} is already in your cart.")
        raise CartError(f"Your cart already holds all {animal.stock} of {animal.name} we have.")
    if not already and cart.is_full:
        raise CartError(f"Your cart can hold at most {MAX_DISTINCT_LINES} different animals.")
    wanted = already + quantity
    if wanted > animal.stock:
        cart.set(animal.pk, animal.stock)
        return f"Only {animal.stock} of {animal.name} available: your cart now holds {animal.stock}."
    cart.set(animal.pk, wanted)
    if animal.stock == 1:
        return f"{animal.name} was added to your cart."
    return f"{quantity} × {animal.name} added to your cart (now {wanted})."


def cart_update(*, cart: Cart, animal_id: int, quantity: int) -> str:
    """Set the quantity of an animal already in the cart, capped by its stock now."""
    if animal_id not in cart:
        raise CartError("That animal is not in your cart.")
    animal = _available_animal(animal_id)
    if quantity > animal.stock:
        cart.set(animal.pk, animal.stock)
        return f"Only {animal.stock} of {animal.name} available: the quantity was set to {animal.stock}."
    cart.set(animal.pk, quantity)
    return f"{animal.name}: quantity updated to {quantity}."


def cart_remove(*, cart: Cart, animal_id: int) -> str:
    if animal_id not in cart:
        raise CartError("That animal is not in your cart.")
    cart.remove(animal_id)
    name = Animal.objects.filter(pk=animal_id).values_list("name", flat=True).first()
    return f"{name} was removed from your cart." if name else "The animal was removed from your cart."
