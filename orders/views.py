# Placeholder views: the orders work replaces them.
from django.shortcuts import render


def checkout(request):
    return render(request, "base.html")


def order_detail(request, reference):
    return render(request, "base.html")
