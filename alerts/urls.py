from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="mine"),
    path("new/", views.alert_create, name="create"),
    path("new/check-inbox/", views.alert_requested, name="requested"),
    path("confirm/<str:token>/", views.alert_confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.alert_unsubscribe, name="unsubscribe"),
    path("<int:alert_id>/delete/", views.alert_delete, name="delete"),
]
