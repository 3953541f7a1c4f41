# Placeholder views: the animals work replaces them.
from django.shortcuts import render


def home(request):
    return render(request, "base.html")


def animal_list(request):
    return render(request, "base.html")


def species_detail(request, species_slug):
    return render(request, "base.html")


def animal_detail(request, species_slug, animal_slug):
    return render(request, "base.html")
