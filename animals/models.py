from datetime import date

from django.core.files.storage import default_storage
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

CARD_FIELDS = (
    "name",
    "slug",
    "sex",
    "date_of_birth",
    "price",
    "stock",
    "is_published",
    "created_at",
    "species__name",
    "species__slug",
    "breed__name",
)


class Species(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    plural = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    care_guide = models.TextField(blank=True, help_text="Care information every buyer confirms having read.")
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "species"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("animals:species", kwargs={"species_slug": self.slug})


class Breed(models.Model):
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="breeds")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["species__display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["species", "slug"], name="breed_slug_unique_per_species"),
            models.UniqueConstraint(fields=["species", "name"], name="breed_name_unique_per_species"),
        ]

    def __str__(self):
        return self.name


class AnimalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def available(self):
        return self.filter(is_published=True, stock__gt=0)

    def for_species(self, species):
        return self.filter(species=species)

    def with_reservation(self):
        """Annotate `is_reserved`: some of this animal is held by an order that is not paid yet."""
        from orders.models import Order, OrderItem

        held = OrderItem.objects.filter(animal=OuterRef("pk"), order__status=Order.Status.PENDING_PAYMENT)
        return self.annotate(is_reserved=Exists(held))

    def with_main_thumbnail(self):
        """Annotate `main_thumbnail` and `main_alt_text` from the main (else first) photo, in the same query."""
        first = AnimalPhoto.objects.filter(animal=OuterRef("pk")).order_by("-is_main", "position", "pk")
        return self.annotate(
            main_thumbnail=Subquery(first.values("thumbnail")[:1]),
            main_alt_text=Subquery(first.values("alt_text")[:1]),
        )

    def for_cards(self):
        """Everything an animal card shows, in one query: species, breed, status and the main thumbnail."""
        return self.select_related("species", "breed").only(*CARD_FIELDS).with_reservation().with_main_thumbnail()

    def search(self, text):
        return self.filter(Q(name__icontains=text) | Q(breed__name__icontains=text) | Q(description__icontains=text))


class Animal(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        UNKNOWN = "unknown", "Unknown"

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        RESERVED = "reserved", "Reserved"
        SOLD = "sold", "Sold"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="animals")
    breed = models.ForeignKey(Breed, on_delete=models.PROTECT, related_name="animals", null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField()
    colour = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    stock = models.PositiveIntegerField(default=1, help_text="1 for an individual animal; more for a batch.")
    vaccinated = models.BooleanField(default=False)
    microchipped = models.BooleanField(default=False)
    neutered = models.BooleanField(default=False)
    health_note = models.TextField(blank=True)
    is_published = models.BooleanField("published", default=False)
    is_demo = models.BooleanField(default=False, editable=False, help_text="Created by seed_demo (--reset removes it).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnimalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0),
                name="animal_stock_not_negative",
                violation_error_message="Stock cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="animal_price_not_negative",
                violation_error_message="The price cannot be negative.",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "-created_at"], name="animal_pub_created_idx"),
            models.Index(fields=["is_published", "price"], name="animal_pub_price_idx"),
            models.Index(fields=["is_published", "date_of_birth"], name="animal_pub_dob_idx"),
            models.Index(fields=["species", "is_published", "-created_at"], name="animal_species_pub_idx"),
            models.Index(fields=["breed", "is_published"], name="animal_breed_pub_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("animals:detail", kwargs={"species_slug": self.species.slug, "animal_slug": self.slug})

    @property
    def is_available(self):
        return self.is_published and self.stock > 0

    @property
    def status(self):
        """Derived, never stored: available, reserved (held by unpaid orders, none left) or sold."""
        if self.stock > 0:
            return self.Status.AVAILABLE
        if getattr(self, "is_reserved", False):
            return self.Status.RESERVED
        return self.Status.SOLD

    @property
    def main_thumbnail_url(self):
        """URL of the main photo's thumbnail when the queryset used `with_main_thumbnail()`."""
        name = getattr(self, "main_thumbnail", None)
        return default_storage.url(name) if name else ""

    def age_in_months(self, today=None):
        today = today or date.today()
        months = (today.year - self.date_of_birth.year) * 12 + today.month - self.date_of_birth.month
        if today.day < self.date_of_birth.day:
            months -= 1
        return max(months, 0)

    @property
    def age_display(self):
        months = self.age_in_months()
        if months < 1:
            weeks = max((date.today() - self.date_of_birth).days // 7, 0)
            return f"{weeks} week{'s' if weeks != 1 else ''}"
        if months < 24:
            return f"{months} month{'s' if months != 1 else ''}"
        years = months // 12
        return f"{years} years"


class AnimalPhoto(models.Model):
    animal = models.ForeignKey(Animal, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("original", upload_to="animals/originals/%Y/%m/")
    thumbnail = models.ImageField(upload_to="animals/thumbs/%Y/%m/", editable=False, blank=True)
    display = models.ImageField(upload_to="animals/display/%Y/%m/", editable=False, blank=True)
    alt_text = models.CharField(max_length=200)
    is_main = models.BooleanField("main photo", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-is_main", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["animal"], condition=Q(is_main=True), name="one_main_photo_per_animal")
        ]

    def __str__(self):
        return self.alt_text
