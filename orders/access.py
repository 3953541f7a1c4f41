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


def order_for_visitor(request, reference, queryset=None):
    queryset = Order.objects.all() if queryset is None else queryset
    order = queryset.filter(reference=reference).first()
    if order is None:
        raise Http404("No such order.")
    if request.user.is_authenticated and order.user_id == request.user.pk:
        return order
    remembered = (request.session.get(SESSION_KEY) or {}).get(reference)
    offered = request.GET.get("token") or request.POST.get("token") or remembered
    if isinstance(offered, str) and offered and hmac.compare_digest(offered, order.access_token):
        return order
    raise Http404("No such order.")
