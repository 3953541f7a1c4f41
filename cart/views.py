# Placeholder view: the cart work replaces it.
from django.shortcuts import render


def cart_detail(request):
    return render(request, "base.html")
