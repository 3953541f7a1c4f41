from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<str:reference>/", views.order_detail, name="detail"),
    path("orders/<str:reference>/cancel/", views.order_cancel, name="cancel"),
    path("orders/<str:reference>/try-again/", views.order_retry, name="retry"),
    path("orders/<str:reference>/calendar.ics", views.order_calendar, name="calendar"),
    path("orders/<str:reference>/handover-pack/", views.order_handover_pack, name="handover_pack"),
]
