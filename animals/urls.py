from django.urls import path

from animals import views

app_name = "animals"

urlpatterns = [
    path("", views.home, name="home"),
    path("animals/", views.animal_list, name="list"),
    path("animals/<slug:species_slug>/", views.species_detail, name="species"),
    path("animals/<slug:species_slug>/<slug:animal_slug>/", views.animal_detail, name="detail"),
]
