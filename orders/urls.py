from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<str:reference>/", views.order_detail, name="detail"),
    path("orders/<str:reference>/handover-pack/", views.order_handover_pack, name="handover_pack"),
]
