"""The shop's admin site: branded with SHOP_NAME on every page (log-in included), the dashboard on its index."""

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from petshop.dashboard import dashboard


class PetshopAdminSite(admin.AdminSite):
    @property
    def site_header(self):
        return f"{settings.SHOP_NAME} administration"

    @property
    def site_title(self):
        return f"{settings.SHOP_NAME} administration"

    @property
    def index_title(self):
        return f"{settings.SHOP_NAME} dashboard"

    def index(self, request, extra_context=None):
        figures = dashboard(today=timezone.localdate(), currency=settings.SHOP_CURRENCY)
        return super().index(request, {**figures, **(extra_context or {})})
