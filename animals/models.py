import functools
import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Upper
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import filepath_to_uri

from petshop.links import nav_urls


def months_between(born, today):
    """Whole months from `born` to `today` (0 for a date in the future)."""
    months = (today.year - born.year) * 12 + today.month - born.month
    if today.day < born.day:
        months -= 1
    return max(months, 0)


def age_in_words(born, today):
    """'3 weeks', '5 months' or '4 years': how shop customers say an animal's age."""
    months = months_between(born, today)
    if months < 1:
        weeks = max((today - born).days // 7, 0)
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"


# A card's correlated subqueries as SQL: the same as Subquery(OuterRef(...)) expressions, which take the ORM
# twice as long to build as the whole query of plain values (1 ms more per list page). "animals_animal" is the
# outer query's table (Django names its base table so). The outer animal's photos, in gallery order
# (AnimalPhoto.Meta.ordering, which photo_animal_order_idx gives):
_PHOTOS_SQL = 'FROM "animals_animalphoto" "photo" WHERE "photo"."animal_id" = "animals_animal"."id"'
_PHOTO_ORDER_SQL = 'ORDER BY "photo"."is_main" DESC, "photo"."position", "photo"."id"'
# The main photo, else the first one:
_FIRST_PHOTO_SQL = f'SELECT "photo"."{{column}}" {_PHOTOS_SQL} {_PHOTO_ORDER_SQL} LIMIT 1'
# Held by an order not paid yet (the status is the parameter).
_HELD_SQL = (
    'EXISTS (SELECT 1 FROM "orders_orderitem" "item" INNER JOIN "orders_order" "ord" ON "ord"."id" = "item"."order_id" '
    'WHERE "item"."animal_id" = "animals_animal"."id" AND "ord"."status" = %s)'
)
# On a card: CASE runs the EXISTS only for sold-out animals (only those can be reserved).
_RESERVED_SQL = f'CASE WHEN "animals_animal"."stock" > 0 THEN false ELSE {_HELD_SQL} END'


class PhotoList(RawSQL):
    """The outer animal's photos with a display size, in gallery order, as a JSON array of [display, alt text]
    pairs, turned into a list of pairs in Python. PostgreSQL builds it with jsonb_agg; SQLite (the zero-setup
    database) with json_group_array over the ordered photos."""

    _WITH_DISPLAY = f'{_PHOTOS_SQL} AND "photo"."display" <> \'\''
    POSTGRESQL = (
        f'SELECT jsonb_agg(jsonb_build_array("photo"."display", "photo"."alt_text") {_PHOTO_ORDER_SQL})::text '
        f"{_WITH_DISPLAY}"
    )
    # Constants only (ruff's S608 and bandit's B608 look for outside input put into SQL: there is none).
    SQLITE = (
        f'SELECT json_group_array(json_array("display", "alt_text")) FROM '  # noqa: S608 # nosec B608
        f'(SELECT "photo"."display", "photo"."alt_text" {_WITH_DISPLAY} {_PHOTO_ORDER_SQL})'
    )

    def __init__(self):
        # Constant SQL (above), no outside input: bandit's B611 reviewed and silenced.
        super().__init__(self.POSTGRESQL, (), output_field=models.TextField())  # noqa: S611 # nosec B611

    def as_sqlite(self, compiler, connection):
        return f"({self.SQLITE})", ()

    def from_db_value(self, value, expression, connection):
        return [tuple(pair) for pair in json.loads(value)] if value else []

    def get_db_converters(self, connection):
        return [self.from_db_value, *super().get_db_converters(connection)]


def _first_photo(column):
    """`column` ("thumbnail" or "alt_text") of the outer animal's main photo, else its first one."""
    # Constant SQL (above), no outside input: bandit's B611 reviewed and silenced.
    return RawSQL(_FIRST_PHOTO_SQL.format(column=column), (), output_field=models.CharField())  # noqa: S611 # nosec B611


@functools.cache
def _card_subqueries():
    """A card's subquery columns (its photo, and whether a sold-out animal is reserved), built once per process.

    Django copies an expression into each query that uses it, and hashes each selected expression by an identity
    worked out from its constructor's arguments (slow: `inspect` binds them), which the copies inherit once it is
    computed. Built and hashed here once, instead of on every catalogue page. They are never changed: Django
    resolves a copy.
    """
    from orders.models import Order

    # RawSQL from the constant SQL above: no outside input goes into it (the status is a parameter), so
    # bandit's B611 is reviewed and silenced here; the ORM's Subquery/Exists cost a third of the list's speed.
    status = (Order.Status.PENDING_PAYMENT,)
    subqueries = {
        "card_thumbnail": _first_photo("thumbnail"),
        "card_alt_text": _first_photo("alt_text"),
        "card_reserved": RawSQL(_RESERVED_SQL, status, output_field=models.BooleanField()),  # noqa: S611 # nosec B611
    }
    for expression in subqueries.values():
        hash(expression)
    return subqueries


class TotalCount(Subquery):
    """How many rows a queryset has, as a scalar subquery of another query (the database counts it once)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) total_count)"
    output_field = models.IntegerField()


def _media_url():
    """`default_storage.url`, or for files on the local disk the same URL without urljoin's parsing (a list
    page asks for 24 of them)."""
    if isinstance(default_storage, FileSystemStorage) and default_storage.base_url.endswith("/"):
        base_url = default_storage.base_url
        return lambda name: base_url + filepath_to_uri(name)
    return default_storage.url


def _card_names(rows, species_list):
    """({species id: species}, {breed id: breed name}) for `rows`, from `species_list` (species with their
    `breed_list`, as `Species.objects.with_breeds()` gives them). Loaded afresh when not given, or when it
    misses a species or breed of the rows (a list kept in a cache from before a staff member added one)."""
    if species_list is not None:
        species = {s.pk: s for s in species_list}
        breeds = {b.pk: b.name for s in species_list for b in s.breed_list}
        if all(row["species_id"] in species and (row["breed_id"] is None or row["breed_id"] in breeds) for row in rows):
            return species, breeds
    # Loaded after the rows: it holds their species and breeds (neither can be deleted while animals use it).
    species_list = Species.objects.with_breeds()
    return {s.pk: s for s in species_list}, {b.pk: b.name for s in species_list for b in s.breed_list}


def _cards(rows, today, species_list):
    """`AnimalCard`s from the rows of `AnimalQuerySet._card_rows()`."""
    if not rows:
        return []
    today = today or date.today()
    no_photo = static("animals/no-photo.svg")
    media_url = _media_url()
    species, breeds = _card_names(rows, species_list)
    # animals:species is animals:list plus the species' slug, and animals:detail that plus the animal's slug
    # (a test checks they agree): one reverse() instead of two per card.
    list_url = nav_urls()["animals"]
    cards = []
    for row in rows:
        if row["card_thumbnail"]:
            image, alt_text = media_url(row["card_thumbnail"]), row["card_alt_text"]
        else:
            image, alt_text = no_photo, f"No photo of {row['name']} yet"
        animal_species = species[row["species_id"]]
        cards.append(
            AnimalCard(
                row,
                url=f"{list_url}{animal_species.slug}/{row['slug']}/",
                species_name=animal_species.name,
                breed_name=breeds.get(row["breed_id"]),
                image=image,
                alt_text=alt_text,
                is_reserved=row["card_reserved"],
                today=today,
            )
        )
    return cards


# What a card reads from the animal's row (plain values, no model instances: a list page shows 24 cards).
CARD_FIELDS = (
    "pk",
    "name",
    "slug",
    "sex",
    "date_of_birth",
    "price",
    "stock",
    "species_id",
    "breed_id",
)


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
        """These species as a list, each with `breed_list` (its breeds by name), in one query (a LEFT JOIN).

        Loads what the catalogue's filter, the species pages and the animal pages need.
        """
        fields = ("id", "name", "slug", "plural", "description", "care_guide", "display_order")
        species_list, by_id = [], {}
        rows = self.values(*fields, "breeds__id", "breeds__name", "breeds__slug").order_by(
            "display_order", "name", "breeds__name"
        )
        for row in rows:
            species = by_id.get(row["id"])
            if species is None:
                species = by_id[row["id"]] = Species(**{field: row[field] for field in fields})
                species.breed_list = []
                species_list.append(species)
            if row["breeds__id"] is not None:
                species.breed_list.append(
                    Breed(
                        id=row["breeds__id"], species_id=row["id"], name=row["breeds__name"], slug=row["breeds__slug"]
                    )
                )
        return species_list


class Species(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    plural = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    care_guide = models.TextField(blank=True, help_text="Care information every buyer confirms having read.")
    display_order = models.PositiveSmallIntegerField(default=0)

    objects = SpeciesQuerySet.as_manager()

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
        from orders.models import Order

        # Constant SQL (above) with the status bound as a parameter: bandit's B611 reviewed and silenced.
        held = RawSQL(_HELD_SQL, (Order.Status.PENDING_PAYMENT,), output_field=models.BooleanField())  # noqa: S611 # nosec B611
        return self.annotate(is_reserved=held)

    def with_photos(self):
        """Annotate `photo_list`: the animal's photos that have a display size, main photo first, as a list of
        (display file name, alt text), from a subquery of the same query (an animal's page reads the animal and
        its gallery in one query; see `gallery()`)."""
        return self.annotate(photo_list=PhotoList())

    def with_main_thumbnail(self):
        """Annotate `main_thumbnail` and `main_alt_text` from the main (else first) photo, in the same query."""
        return self.annotate(main_thumbnail=_first_photo("thumbnail"), main_alt_text=_first_photo("alt_text"))

    def cards(self, today=None, species_list=None):
        """These animals (the queryset may be sliced) as a list of `AnimalCard`, in one query.

        The rows come as plain values (model instances with `select_related` and a `{% url %}` per card cost
        several times more on a list page); each row's thumbnail and, for a sold-out animal only, whether it is
        reserved come from small correlated subqueries, which PostgreSQL runs just for the rows kept after
        ORDER BY ... LIMIT, each on an index. Species and breed names come from `species_list`
        (`Species.objects.with_breeds()`, which the catalogue keeps in its cache) rather than from joins;
        without it they take one more query.
        """
        return _cards(self._card_rows(), today, species_list)

    def cards_page(self, start, stop, today=None, species_list=None):
        """(cards of rows `start` to `stop`, how many animals in all) in one query: the total is a subquery.

        The total is an uncorrelated scalar subquery, counted once by the database on its own best plan (an
        index-only scan); COUNT(*) OVER () instead would make the database join every matching row before
        the LIMIT (ten times slower on 10,000 animals). The total is None when the slice is empty.
        """
        rows = self.annotate(total_count=TotalCount(self.order_by().values("pk")))[start:stop]._card_rows("total_count")
        return _cards(rows, today, species_list), rows[0]["total_count"] if rows else None

    def _card_rows(self, *extra_fields):
        return list(self.values(*CARD_FIELDS, *extra_fields, **_card_subqueries()))

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
    is_published = models.BooleanField("published", default=False)
    is_demo = models.BooleanField(default=False, editable=False, help_text="Created by seed_demo (--reset removes it).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the catalogue's search reads: the name and the description, upper-cased, kept by the database. One
    # stored column (with one trigram index on PostgreSQL) instead of upper-casing both columns of every row
    # the search passes: the search query runs in about half the time.
    search_text = models.GeneratedField(
        expression=Upper(Concat("name", models.Value("\n"), "description", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
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
            models.Index(
                fields=["species"], condition=Q(is_published=True, stock__gt=0), name="animal_available_species_idx"
            ),
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
        return months_between(self.date_of_birth, today or date.today())

    @property
    def age_display(self):
        return age_in_words(self.date_of_birth, date.today())


class AnimalCard:
    """What an animal's card shows (`{% animal_cards %}`), computed once so the template only reads attributes."""

    SEX_LABELS = dict(Animal.Sex.choices)

    def __init__(self, row, *, url, species_name, breed_name, image, alt_text, is_reserved, today):
        self.pk = row["pk"]
        self.name = row["name"]
        self.slug = row["slug"]
        self.price = row["price"]
        self.stock = row["stock"]
        self.url = url
        self.image = image
        self.alt_text = alt_text
        if self.stock > 0:
            self.status = Animal.Status.AVAILABLE
        else:
            self.status = Animal.Status.RESERVED if is_reserved else Animal.Status.SOLD
        age = age_in_words(row["date_of_birth"], today)
        facts = [species_name, breed_name, self.SEX_LABELS.get(row["sex"], row["sex"]), age]
        self.facts = " · ".join(fact for fact in facts if fact)

    def __repr__(self):
        return f"<AnimalCard {self.pk} {self.name}>"


def gallery(animal):
    """The photos of `animal` (read with `AnimalQuerySet.with_photos()`) as its page shows them, main photo first:
    dicts of the display size's URL and the alt text."""
    url = _media_url()
    return [{"url": url(display), "alt_text": alt_text} for display, alt_text in animal.photo_list]


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
