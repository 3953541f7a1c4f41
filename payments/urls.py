from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("start/<str:reference>/", views.payment_start_view, name="start"),
    path("demo/<str:session_id>/", views.demo, name="demo"),
    path("success/", views.success, name="success"),
    path("cancel/<str:reference>/", views.cancel, name="cancel"),
    path("webhook/stripe/", views.stripe_webhook, name="webhook"),
]
