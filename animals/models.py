from datetime import date

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Concat, Upper
from django.urls import reverse
from django.utils import timezone

from animals.search import SearchDocument


class SpeciesQuerySet(models.QuerySet):
    def with_available_count(self):
        """Annotate `available_count`: published animals in stock, counted per species by a small subquery each.

        A subquery per species (there are a handful) reads only the partial index `animal_available_species_idx`,
        where a LEFT JOIN with GROUP BY would read every animal.
        """
        counts = (
            Animal.objects.available()
            .filter(species=OuterRef("pk"))
            .order_by()
            .values("species")
            .annotate(count=Count("*"))
            .values("count")
        )
        return self.annotate(available_count=Coalesce(Subquery(counts), 0))

    def with_breeds(self):
        """Each species with `breed_list`, its breeds by name (one more query for all the breeds)."""
        breeds = Prefetch("breeds", queryset=Breed.objects.order_by("name"), to_attr="breed_list")
        return self.prefetch_related(breeds)


# The facts staff can record about an animal, in the order the animal page lists them. Each species says which
# of them apply (`Species.facts`): the animal page, the cards, the admin form, the filters and the handover pack
# show only those.
FACTS = {
    "adult_size": "Adult size",
    "coat_length": "Coat length",
    "energy_level": "Energy level",
    "good_with_children": "Good with children",
    "good_with_dogs": "Good with dogs",
    "good_with_cats": "Good with cats",
    "house_trained": "House-trained",
    "hypoallergenic": "Hypoallergenic",
    "vaccinated": "Vaccinated",
    "neutered": "Neutered",
    "microchipped": "Microchipped",
    "special_needs": "Special needs",
}
# The admin fields that go with a fact (hidden with it when it does not apply to the species).
FACT_FIELDS = {"microchipped": ["microchipped", "microchip_number"]}


def all_facts():
    return list(FACTS)


def validate_facts(value):
    unknown = sorted(set(value) - set(FACTS)) if isinstance(value, list) else ["(not a list)"]
    if unknown:
        raise ValidationError(f"Unknown facts: {', '.join(unknown)}.")


class Species(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    plural = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    care_guide = models.TextField(
        "care guide (adult)",
        blank=True,
        help_text="Care information every buyer confirms having read, for a grown animal (and for a young one when "
        "the young animal's guide is empty).",
    )
    care_guide_young = models.TextField(
        "care guide (young)", blank=True, help_text="The care guide for an animal younger than the adult age."
    )
    adult_at_months = models.PositiveSmallIntegerField(
        "adult at (months)", default=12, help_text="From this age the adult care guide applies."
    )
    facts = models.JSONField(
        "facts that apply",
        default=all_facts,
        blank=True,
        validators=[validate_facts],
        help_text="What staff record and customers see for animals of this species.",
    )
    sex_required = models.BooleanField(
        "sex must be known",
        default=False,
        help_text="An individual animal of this species (mammals) needs a known sex, unless staff tick "
        "“sex not known” on it.",
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    # The words customers search with (animals/search.py): besides the name and plural, the synonyms, and what a
    # young one (under 12 months) is called.
    search_terms = models.CharField(
        max_length=200,
        blank=True,
        help_text="Other words customers use for this species, separated by commas (e.g. “bunny, bunnies”). "
        "The name and plural are always understood.",
    )
    young_word = models.CharField(
        "word for a young one",
        max_length=40,
        blank=True,
        help_text="What customers call one under 12 months old (e.g. “puppy”): searching it finds those.",
    )
    young_word_plural = models.CharField(
        "plural of the word for a young one", max_length=40, blank=True, help_text="e.g. “puppies”."
    )

    objects = SpeciesQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = "species"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("animals:species", kwargs={"species_slug": self.slug})

    def has_fact(self, name: str) -> bool:
        return name in self.facts


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

    def with_reservation(self):
        """Annotate `is_reserved`: some of this animal is held by an order that is not paid yet."""
        from orders.models import Order, OrderItem

        held = OrderItem.objects.filter(animal=OuterRef("pk"), order__status=Order.Status.PENDING_PAYMENT)
        return self.annotate(is_reserved=Exists(held))

    def unsold(self):
        """Leave out sold animals (none left, none held): in stock, or reserved by an order not paid yet."""
        from orders.models import Order, OrderItem

        # `id IN (held ids)`, not a correlated EXISTS: PostgreSQL hashes the few held ids once, and with
        # animal_pub_stock_idx counts a list from the index alone (an EXISTS was costed per row and took ~100 ms
        # for 10,000 animals, JIT included).
        held = OrderItem.objects.filter(order__status=Order.Status.PENDING_PAYMENT).values("animal_id")
        return self.filter(Q(stock__gt=0) | Q(pk__in=held))

    def with_main_thumbnail(self):
        """Annotate `main_thumbnail` and `main_alt_text` from the main (else first) photo, in the same query."""
        photos = AnimalPhoto.objects.filter(animal=OuterRef("pk")).order_by("-is_main", "position", "pk")
        return self.annotate(
            main_thumbnail=Subquery(photos.values("thumbnail")[:1]),
            main_alt_text=Subquery(photos.values("alt_text")[:1]),
        )

    def with_gallery(self):
        """Prefetch `gallery`: the photos that have a display size, main photo first."""
        photos = AnimalPhoto.objects.exclude(display="")
        return self.prefetch_related(Prefetch("photos", queryset=photos, to_attr="gallery"))

    def search(self, text, breed_ids=None):
        """Animals whose name, breed or description contains `text` (any case).

        The name and description are matched in `search_text`, which the database keeps upper-cased; the text is
        upper-cased by the database too (`UPPER`), so both sides agree on every letter. Pass `breed_ids`, the
        breeds whose name matches (found from the few breeds already loaded), to keep the query on the animals
        table, where each condition can use its own index (a trigram index on PostgreSQL).
        """
        breed = Q(breed__name__icontains=text) if breed_ids is None else Q(breed_id__in=breed_ids)
        return self.filter(Q(search_text__contains=Upper(models.Value(text))) | breed)


validate_microchip_number = RegexValidator(
    r"^[0-9]{15}\Z", "A microchip number is 15 digits (ISO 11784/11785), e.g. 985141000123456."
)


class Animal(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        UNKNOWN = "unknown", "Unknown"

    class Size(models.TextChoices):
        SMALL = "small", "Small"
        MEDIUM = "medium", "Medium"
        LARGE = "large", "Large"
        EXTRA_LARGE = "xlarge", "Extra large"

    class Coat(models.TextChoices):
        HAIRLESS = "hairless", "Hairless"
        SHORT = "short", "Short"
        MEDIUM = "medium", "Medium"
        LONG = "long", "Long"

    class Energy(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        RESERVED = "reserved", "Reserved"
        SOLD = "sold", "Sold"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="animals")
    breed = models.ForeignKey(Breed, on_delete=models.PROTECT, related_name="animals", null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    sex_not_known = models.BooleanField(
        "sex not known",
        default=False,
        help_text="Tick when the sex of an individual mammal cannot be told yet (it is then shown as unknown).",
    )
    date_of_birth = models.DateField()
    colour = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    stock = models.PositiveIntegerField(default=1, help_text="1 for an individual animal; more for a batch.")
    vaccinated = models.BooleanField(default=False)
    microchipped = models.BooleanField(default=False)
    # Empty is NULL (not ""), so any number of animals can have none while a number is unique.
    microchip_number = models.CharField(
        max_length=15,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_microchip_number],
        error_messages={"unique": "Another animal already has this microchip number."},
        help_text="15 digits (ISO 11784/11785), as on the chip's certificate; leave empty when not chipped.",
    )
    neutered = models.BooleanField(default=False)
    health_note = models.TextField(blank=True)
    adult_size = models.CharField("adult size", max_length=10, choices=Size.choices, blank=True)
    coat_length = models.CharField("coat length", max_length=10, choices=Coat.choices, blank=True)
    energy_level = models.CharField("energy level", max_length=10, choices=Energy.choices, blank=True)
    good_with_children = models.CharField(
        "good with children", max_length=10, choices=Answer.choices, default=Answer.UNKNOWN
    )
    good_with_dogs = models.CharField("good with dogs", max_length=10, choices=Answer.choices, default=Answer.UNKNOWN)
    good_with_cats = models.CharField("good with cats", max_length=10, choices=Answer.choices, default=Answer.UNKNOWN)
    house_trained = models.BooleanField("house-trained", default=False)
    hypoallergenic = models.BooleanField(default=False)
    special_needs = models.TextField("special needs", blank=True)
    is_published = models.BooleanField("published", default=False)
    is_demo = models.BooleanField(default=False, editable=False, help_text="Created by seed_demo (--reset removes it).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the catalogue's search reads: the name and the description, upper-cased, kept by the database. One
    # stored column (with one trigram index on PostgreSQL) instead of upper-casing both columns of every row
    # the search passes.
    search_text = models.GeneratedField(
        expression=Upper(Concat("name", models.Value("\n"), "description", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )
    # The full-text document of the catalogue search on PostgreSQL (empty on SQLite): see animals/search.py.
    search_document = models.GeneratedField(
        expression=SearchDocument(), output_field=SearchVectorField(), db_persist=True
    )

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
            models.CheckConstraint(
                condition=Q(microchip_number__isnull=True) | Q(microchip_number__regex=r"^[0-9]{15}$"),
                name="animal_microchip_number_15_digits",
                violation_error_message="A microchip number is 15 digits (ISO 11784/11785).",
            ),
            models.CheckConstraint(
                condition=Q(microchip_number__isnull=True) | Q(microchipped=True),
                name="animal_microchip_number_needs_microchipped",
                violation_error_message="Tick “microchipped” for an animal with a microchip number.",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "-created_at"], name="animal_pub_created_idx"),
            models.Index(fields=["is_published", "price"], name="animal_pub_price_idx"),
            models.Index(fields=["is_published", "date_of_birth"], name="animal_pub_dob_idx"),
            models.Index(fields=["species", "is_published", "-created_at"], name="animal_species_pub_idx"),
            # A species by price (either way): with the id, the index gives the whole ORDER BY price, id, so the
            # database reads just the page's rows instead of walking the price index of every species.
            models.Index(fields=["species", "is_published", "price", "id"], name="animal_species_price_idx"),
            models.Index(fields=["breed", "is_published"], name="animal_breed_pub_idx"),
            # The list's default "leave out the sold" (`unsold()`): counted from this index alone.
            models.Index(fields=["is_published", "stock", "id"], name="animal_pub_stock_idx"),
            models.Index(
                fields=["species"], condition=Q(is_published=True, stock__gt=0), name="animal_available_species_idx"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("animals:detail", kwargs={"species_slug": self.species.slug, "animal_slug": self.slug})

    def clean(self):
        """What staff cannot get wrong: a breed of the animal's species, a date of birth that has been, and a known
        sex for an individual of a species that needs one (unless "sex not known" is ticked)."""
        errors = {}
        species = self.species if self.species_id else None
        if self.breed_id and species is not None and self.breed.species_id != species.pk:
            errors["breed"] = (
                f"{self.breed.name} is a breed of {self.breed.species.name.lower()}, not of "
                f"{species.name.lower()}: choose one of the {species.name.lower()} breeds or none."
            )
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "The date of birth cannot be in the future."
        if (
            species is not None
            and species.sex_required
            and self.stock == 1
            and self.sex == self.Sex.UNKNOWN
            and not self.sex_not_known
        ):
            errors["sex"] = (
                f"Choose female or male for an individual {species.name.lower()}, or tick “sex not known” when it "
                "cannot be told yet."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_group(self):
        """A batch sold as one listing (fish, budgies): more than one animal in stock."""
        return self.stock > 1

    @property
    def display_name(self):
        """The name customers read: a batch is described as a group ("Neon tetras, group of 10")."""
        if self.is_group and "group of" not in self.name.casefold():
            return f"{self.name}, group of {self.stock}"
        return self.name

    @property
    def age_in_months(self) -> int:
        born, today = self.date_of_birth, date.today()
        return max((today.year - born.year) * 12 + today.month - born.month - (today.day < born.day), 0)

    @property
    def is_young(self):
        """Younger than its species' adult age (12 months unless the species says otherwise)."""
        return self.age_in_months < self.species.adult_at_months

    @property
    def care_guide(self):
        """The species' care guide for this animal's life stage: the young one until the adult age (when written)."""
        if self.is_young and self.species.care_guide_young:
            return self.species.care_guide_young
        return self.species.care_guide

    def facts(self):
        """The facts of this animal that apply to its species, as (label, value) in FACTS' order; facts left
        empty (no size recorded, no special needs) are left out."""
        applicable = self.species.facts
        rows = []
        for name, label in FACTS.items():
            if name not in applicable:
                continue
            value = getattr(self, name)
            if isinstance(value, bool):
                text = "Yes" if value else "No"
            elif name == "special_needs":
                text = value
            else:
                text = getattr(self, f"get_{name}_display")() if value else ""
            if text:
                rows.append((label, text))
        return rows

    def highlights(self):
        """The few good things a card mentions, of those that apply: "Good with children and cats", "House-trained"."""
        applicable = self.species.facts
        good_with = [
            name.removeprefix("good_with_")
            for name in ("good_with_children", "good_with_dogs", "good_with_cats")
            if name in applicable and getattr(self, name) == self.Answer.YES
        ]
        found = []
        if good_with:
            listed = good_with[0] if len(good_with) == 1 else f"{', '.join(good_with[:-1])} and {good_with[-1]}"
            found.append(f"Good with {listed}")
        for name in ("house_trained", "hypoallergenic"):
            if name in applicable and getattr(self, name):
                found.append(FACTS[name])
        return found

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

    @property
    def age_display(self):
        """'3 weeks', '5 months' or '4 years': how shop customers say an animal's age."""
        born, today = self.date_of_birth, date.today()
        months = self.age_in_months
        if months < 1:
            weeks = max((today - born).days // 7, 0)
            return f"{weeks} week{'s' if weeks != 1 else ''}"
        if months < 24:
            return f"{months} month{'s' if months != 1 else ''}"
        return f"{months // 12} years"


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
        # An animal's photos in this order: a card's main-else-first photo is then the index's first entry.
        indexes = [models.Index(fields=["animal", "-is_main", "position", "id"], name="photo_animal_order_idx")]

    def __str__(self):
        return self.alt_text


def validate_not_in_future(value):
    if value > timezone.localdate():
        raise ValidationError("This date is in the future: record a vaccination once it is given.")


class Vaccination(models.Model):
    """A vaccination an animal was given, printed with its date on the animal's care sheet."""

    animal = models.ForeignKey(Animal, on_delete=models.CASCADE, related_name="vaccinations")
    name = models.CharField(max_length=100, help_text="e.g. “Rabies” or “DHPP, first dose”.")
    given_on = models.DateField("date given", validators=[validate_not_in_future])
    next_due = models.DateField("next due", null=True, blank=True)

    class Meta:
        ordering = ["given_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_due__isnull=True) | Q(next_due__gt=F("given_on")),
                name="vaccination_next_due_after_given",
                violation_error_message="The next dose is due after the date given.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.given_on:%d %b %Y})"
