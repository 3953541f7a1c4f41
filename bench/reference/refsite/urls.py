from django.urls import path
from rows import views

urlpatterns = [
    path("", views.row_list, name="row_list"),
    path("json/", views.row_list_json, name="row_list_json"),
]
