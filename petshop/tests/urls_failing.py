"""The shop's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from petshop.urls import urlpatterns as shop_urlpatterns


def failing_view(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("failing/", failing_view), *shop_urlpatterns]
handler500 = "petshop.views.server_error"
