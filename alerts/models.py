from django.db import models
from django.http import QueryDict

from animals.models import Animal


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_email(self, email: str):
        return self.filter(email=email.strip().lower())


class Alert(models.Model):
    """ "Tell me when a new one arrives": a catalogue selection watched for an e-mail address.

    `query` is the selection as the catalogue's filter form validated it ("species=rabbits&sex=female"); it is
    validated again by that form (animals.forms.AnimalFilterForm) whenever new animals are matched, so that every
    filter the catalogue has works here too.
    """

    email = models.EmailField(max_length=254, db_index=True)  # lower-cased
    query = models.CharField(max_length=1000, blank=True)
    description = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_digest_on = models.DateField("last e-mail on", null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["email", "query"], name="alert_once_per_address_and_query")]

    def __str__(self):
        return f"{self.description} for {self.email}"

    @property
    def query_data(self) -> QueryDict:
        return QueryDict(self.query)


class AlertMatch(models.Model):
    """A newly published animal that matched an alert; `sent_on` is the day of the digest that listed it.

    One row per alert and animal: publishing the same animal again adds nothing (and mails nothing) twice.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="matches")
    animal = models.ForeignKey(Animal, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["alert", "animal"], name="alert_match_once")]

    def __str__(self):
        return f"{self.animal} for alert {self.alert_id}"
