from django.contrib.sitemaps import Sitemap

from animals.models import Animal, Species


class SpeciesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Species.objects.all()


class AnimalSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Animal.objects.published().select_related("species").order_by("pk")

    def lastmod(self, animal):
        return animal.updated_at


sitemaps = {"species": SpeciesSitemap, "animals": AnimalSitemap}
