# Placeholder view: the accounts work replaces it.
from django.shortcuts import render


def placeholder(request):
    return render(request, "base.html")
