"""Every change to the session cart: the animal is always read from the database and capped by its stock."""

from importlib import import_module

from django.conf import settings

from animals.models import Animal
from cart.cart import MAX_DISTINCT_LINES, Cart

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


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


# Carts kept for API clients: the same Cart over a session store of their own, keyed by an opaque id.
API_CART_KEY = "api_cart_owner"  # marks a store as an API cart: 0 for a guest, else the owner's user id


class CartNotFound(CartError):
    pass


def cart_open(*, user_id: int | None = None) -> tuple[str, Cart]:
    """Open an empty cart for an API client (a guest, or the user `user_id`); return its id and the Cart."""
    store = SessionStore()
    store[API_CART_KEY] = user_id or 0
    store.create()
    return store.session_key, Cart(store)


def cart_load(*, cart_id: str, user_id: int | None = None) -> Cart:
    """The API cart `cart_id`, as its owner sees it: a user's cart only for that user, a guest cart for anyone
    holding its id. Raises CartNotFound for anything else (a web session id is never an API cart)."""
    if not (isinstance(cart_id, str) and cart_id.isascii() and cart_id.isalnum() and len(cart_id) <= 64):
        raise CartNotFound("No such cart.")
    store = SessionStore(session_key=cart_id)
    owner = store.get(API_CART_KEY)
    if owner is None or (owner and owner != user_id):
        raise CartNotFound("No such cart.")
    return Cart(store)


def cart_keep(*, cart: Cart) -> None:
    """Store the API cart's changes (the web's session middleware does this for a browser's cart)."""
    if cart.session.modified:
        cart.session.save()
