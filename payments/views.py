# Placeholder views: the payments work replaces them.
from django.http import HttpResponse


def payment_start(request, reference):
    return HttpResponse(status=501)


def demo(request, session_id):
    return HttpResponse(status=501)


def success(request):
    return HttpResponse(status=501)


def cancel(request, reference):
    return HttpResponse(status=501)


def stripe_webhook(request):
    return HttpResponse(status=501)
