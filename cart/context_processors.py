from cart.cart import Cart


def cart(request):
    """The header badge: the number of animals in the cart, read from the session alone (no query)."""
    return {"cart_count": len(Cart(request.session))}
