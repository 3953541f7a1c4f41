from django.contrib.admin.apps import AdminConfig


class PetshopAdminConfig(AdminConfig):
    """django.contrib.admin with the shop's own site (`admin.site` is a PetshopAdminSite)."""

    default_site = "petshop.admin.PetshopAdminSite"
