from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from animals.sitemaps import sitemaps
from api.v1 import api as api_v1
from petshop import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_v1.urls),
    path("accounts/", include("accounts.urls")),
    path("cart/", include("cart.urls")),
    path("payments/", include("payments.urls")),
    path("favourites/", include("favourites.urls")),
    path("alerts/", include("alerts.urls")),
    path("", include("orders.urls")),
    path("", include("animals.urls")),
]

# Uploaded media: served by Django only when they live on the local disk and no other server does it.
if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler404 = "petshop.views.page_not_found"
handler403 = "petshop.views.permission_denied"
handler500 = "petshop.views.server_error"
