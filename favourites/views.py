"""The heart button, the Favourites page and the "e-mail me when it is available again" switch.

A guest's favourites live in their session (favourites/guest.py), a customer's in the database; at log-in a
guest's join the account (`guest_favourites_join_account`, connected to `user_logged_in` in apps.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from favourites import guest, selectors, services


def _next_url(request) -> str:
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("favourites:list")


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _animal_id(request) -> int | None:
    value = request.POST.get("animal", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@require_POST
def toggle(request):
    """Save (saved=1, the default) or remove (saved=0) one favourite; JSON for the page's script, else back."""
    animal_id = _animal_id(request)
    if animal_id is None:
        return HttpResponseBadRequest("Choose an animal.")
    saved = request.POST.get("saved", "1") != "0"
    try:
        if request.user.is_authenticated:
            saved = services.favourite_set(user=request.user, animal_id=animal_id, saved=saved)
        else:
            ids = guest.guest_ids(request.session)
            if animal_id not in ids:
                services.favourite_check(animal_id=animal_id, saved=saved, count=len(ids))
            guest.guest_set(request.session, animal_id, saved)
    except services.FavouriteError as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=400)
        messages.error(request, str(error))
        return redirect(_next_url(request))
    if _wants_json(request):
        return JsonResponse({"animal": animal_id, "saved": saved})
    if saved:
        messages.success(request, "Saved to your favourites.")
    else:
        messages.info(request, "Removed from your favourites.")
    return redirect(_next_url(request))


def favourite_list(request):
    user = request.user if request.user.is_authenticated else None
    ids = selectors.favourite_ids(user=user, guest_ids=guest.guest_ids(request.session))
    notify = selectors.notify_ids(user=user) if user else set()
    rows = selectors.favourite_list(animal_ids=ids, notify_ids=notify)
    return render(request, "favourites/favourite_list.html", {"rows": rows})


@login_required
@require_POST
def notify(request):
    """Switch the "e-mail me if it becomes available again" of one reserved favourite on (notify=1) or off."""
    animal_id = _animal_id(request)
    if animal_id is None:
        return HttpResponseBadRequest("Choose an animal.")
    wanted = request.POST.get("notify") == "1"
    try:
        services.favourite_notify_set(user=request.user, animal_id=animal_id, notify=wanted)
    except services.FavouriteError as error:
        messages.error(request, str(error))
    else:
        if wanted:
            messages.success(request, "We will e-mail you if it becomes available again.")
        else:
            messages.info(request, "You will not get that e-mail.")
    return redirect("favourites:list")


def guest_favourites_join_account(sender, request, user, **kwargs):
    """`user_logged_in`: the favourites saved in this browser's session join the account."""
    if request is None or not hasattr(request, "session"):
        return
    ids = guest.guest_ids(request.session)
    if ids:
        services.favourites_join_account(user=user, animal_ids=ids)
        guest.guest_clear(request.session)
