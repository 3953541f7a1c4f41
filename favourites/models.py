from django.conf import settings
from django.db import models

from animals.models import Animal


class FavouriteQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def waiting_for(self, animal_ids):
        """Favourites whose owner asked to hear when one of `animal_ids` is available again."""
        return self.filter(animal_id__in=animal_ids, notify_requested_at__isnull=False)


class Favourite(models.Model):
    """An animal a customer saved (a guest's are in their session until they log in)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    animal = models.ForeignKey(Animal, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while the customer waits for a reserved animal to be available again; cleared once the e-mail is queued.
    notify_requested_at = models.DateTimeField(null=True, blank=True)

    objects = FavouriteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "animal"], name="favourite_once_per_user")]

    def __str__(self):
        return f"{self.animal} for {self.user}"
