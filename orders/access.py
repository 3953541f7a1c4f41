"""Who may see an order: its owner, or a visitor holding its unguessable access token.

The token arrives in the link (`?token=...`, from the checkout page or the e-mail) or was remembered in
this visitor's session at checkout. Everyone else gets a 404, never a hint that the order exists.
"""

import hmac

from django.http import Http404

from orders.models import Order

SESSION_KEY = "order_tokens"


def remember_order(session, order):
    tokens = dict(session.get(SESSION_KEY) or {})
    tokens[order.reference] = order.access_token
    session[SESSION_KEY] = tokens


def order_for(reference, *, user=None, token=None, queryset=None) -> Order | None:
    """The order `reference` when `user` owns it or `token` is its access token; None otherwise."""
    queryset = Order.objects.all() if queryset is None else queryset
    order = queryset.filter(reference=reference).first() if isinstance(reference, str) else None
    if order is None:
        return None
    if user is not None and user.is_authenticated and order.user_id == user.pk:
        return order
    if isinstance(token, str) and token and token.isascii() and hmac.compare_digest(token, order.access_token):
        return order
    return None


def order_for_visitor(request, reference, queryset=None):
    remembered = (request.session.get(SESSION_KEY) or {}).get(reference)
    offered = request.GET.get("token") or request.POST.get("token") or remembered
    order = order_for(reference, user=request.user, token=offered, queryset=queryset)
    if order is None:
        raise Http404("No such order.")
    return order
