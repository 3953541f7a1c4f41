"""Alert pages: "Tell me when a new one arrives", the confirmation and unsubscribe links, a customer's alerts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alerts import selectors, services, tokens
from alerts.forms import AlertForm
from petshop.clients import client_ip


def alert_create(request):
    """GET: the selection of the catalogue page it came from (its query string); POST: ask for the alert."""
    user_email = request.user.email if request.user.is_authenticated else ""
    if request.method == "POST":
        form = AlertForm(request.POST)
        query = request.POST.get("query", "")[:1000]
    else:
        query = request.GET.urlencode()
        form = None
    filters = selectors.selection_filters(query)
    query = selectors.selection_query(filters)
    if form is None:
        form = AlertForm(initial={"email": user_email, "query": query})
    elif form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.alert_request(email=email, query=query, ip=client_ip(request))
        except services.AlertLimitReached as error:
            # Told only to a customer about their own address: to anyone else the answer is the same as ever.
            if email.strip().lower() == user_email.lower():
                form.add_error("email", str(error))
            else:
                return redirect("alerts:requested")
        else:
            return redirect("alerts:requested")
    context = {"form": form, "description": selectors.selection_describe(filters)}
    return render(request, "alerts/alert_form.html", context)


def alert_requested(request):
    return render(request, "alerts/alert_requested.html")


@require_http_methods(["GET", "POST"])
def alert_confirm(request, token):
    """The link in the confirmation e-mail: a button that confirms (a mail scanner's GET changes nothing)."""
    if request.method == "POST":
        try:
            alert = services.alert_confirm(token=token)
        except services.AlertError as error:
            messages.error(request, str(error))
            return redirect("animals:list")
        messages.success(
            request, f"Your alert is on: we will e-mail you when new animals arrive for {alert.description}."
        )
        return redirect("animals:list")
    return render(request, "alerts/alert_confirm.html", {"is_valid": tokens.confirm_alert_id(token) is not None})


@csrf_exempt  # one-click unsubscribe (RFC 8058): mail programs POST here; the signed token is the authority
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token):
    """The unsubscribe link of every alert e-mail: works logged out; GET asks, POST deletes the alert."""
    is_valid = tokens.unsubscribe_alert_id(token) is not None
    if request.method == "POST" and is_valid:
        description = services.alert_unsubscribe(token=token)
        return render(request, "alerts/alert_unsubscribed.html", {"description": description})
    status = 200 if is_valid else 400
    return render(request, "alerts/alert_unsubscribe.html", {"is_valid": is_valid}, status=status)


@login_required
def alert_list(request):
    return render(request, "alerts/alert_list.html", {"alerts": selectors.alerts_for_email(email=request.user.email)})


@login_required
@require_POST
def alert_delete(request, alert_id):
    try:
        services.alert_delete(alert_id=alert_id, email=request.user.email)
    except services.AlertError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, "The alert is deleted.")
    return redirect("alerts:mine")
