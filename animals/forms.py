from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter

from django import forms
from django.forms.utils import pretty_name
from django.utils.http import urlencode

from animals import rendering, search
from animals.models import Animal, AnimalPhoto
from animals.services import PhotoError, photo_prepare

# Age bands offered by the filter: (value, label, youngest in days, oldest in days).
AGE_BANDS = [
    ("baby", "Under 6 months", 0, 182),
    ("young", "6 to 12 months", 182, 365),
    ("adult", "1 to 3 years", 365, 3 * 365),
    ("senior", "Over 3 years", 3 * 365, None),
]
SORTS = {
    "relevance": ("-search_rank", "-created_at", "-pk"),  # with a search (animals/search.py); else newest
    "newest": ("-created_at", "-pk"),
    "price_asc": ("price", "pk"),
    "price_desc": ("-price", "-pk"),
    "youngest": ("-date_of_birth", "-pk"),
    "oldest": ("date_of_birth", "pk"),
}
SORT_CHOICES = [
    # The default, first in the select so that a search typed into the form is sent with it. Without a search
    # every animal matches as well as the next, and the newest come first.
    ("relevance", "Best match"),
    ("newest", "Newest first"),
    ("price_asc", "Price: low to high"),
    ("price_desc", "Price: high to low"),
    ("youngest", "Youngest first"),
    ("oldest", "Oldest first"),
]
MAX_PRICE = Decimal("99999999.99")


def _filter_fields():
    """A new set of the catalogue filter's fields, species and breed still without their choices."""
    return {
        "q": forms.CharField(label="Search", max_length=100, required=False),
        "species": forms.ChoiceField(required=False),
        "breed": forms.ChoiceField(required=False),
        "sex": forms.ChoiceField(choices=[("", "Any")] + Animal.Sex.choices, required=False),
        "age": forms.ChoiceField(
            label="Age", choices=[("", "Any age")] + [(v, label) for v, label, *_ in AGE_BANDS], required=False
        ),
        "price_min": forms.DecimalField(
            label="Min price", min_value=0, max_value=MAX_PRICE, decimal_places=2, required=False
        ),
        "price_max": forms.DecimalField(
            label="Max price", min_value=0, max_value=MAX_PRICE, decimal_places=2, required=False
        ),
        "available": forms.BooleanField(label="Available only", required=False),
        "sort": forms.ChoiceField(choices=SORT_CHOICES, required=False),
    }


def _control_kind(field):
    if isinstance(field, forms.ChoiceField):
        return "select"
    if isinstance(field, forms.DecimalField):
        return "number"
    if isinstance(field, forms.BooleanField):
        return "checkbox"
    return "search"


class FilterChoices:
    """The filter's fields, with the choices of one species list: every species, or just the breeds of `species`
    (its page). Built once per kept species list (see `selectors.filter_choices()`) and shared by the forms
    made with it.

    A Django form deep-copies its fields for each instance; for these (dozens of breeds) the copy, and setting
    the choices again, were a noticeable part of a list page's time (bench/README.md). The shared fields are
    only read: validating a form never changes its fields.
    """

    def __init__(self, species_list, species=None):
        self.species = species
        self.species_ids = {s.slug: s.pk for s in species_list}
        # Every breed (the search matches breed names across species), by name.
        self.breeds = sorted((breed for s in species_list for breed in s.breed_list), key=attrgetter("name"))
        self.vocabulary = search.Vocabulary(species_list)
        fields = _filter_fields()
        if species is None:
            fields["species"].choices = [("", "All species")] + [(s.slug, s.name) for s in species_list]
        else:
            del fields["species"]
        names = {s.pk: s.name for s in species_list}
        grouped = {}
        for breed in self.breeds:
            if species is None or breed.species_id == species.pk:
                grouped.setdefault(names.get(breed.species_id, ""), []).append((breed.slug, breed.name))
        fields["breed"].choices = [("", "Any breed")] + list(grouped.items())
        self.fields = fields
        # Each select's options, escaped once.
        self.options = {
            name: rendering.option_items(field.choices)
            for name, field in fields.items()
            if isinstance(field, forms.ChoiceField)
        }
        # Each field's name, kind of control and label, in the form's order.
        self.controls = [
            (name, _control_kind(field), field.label if field.label is not None else pretty_name(name))
            for name, field in fields.items()
        ]


class AnimalFilterForm(forms.Form):
    """The catalogue's GET filters. Each invalid field is ignored on its own (and its error shown).

    Its fields come from `choices` (a `FilterChoices`), shared with the other forms made with it.
    """

    def __init__(self, data=None, *, choices):
        super().__init__(data)
        self.fields = choices.fields
        self.breeds = choices.breeds
        self.species = choices.species
        self.species_ids = choices.species_ids
        self.vocabulary = choices.vocabulary
        self.option_items = choices.options
        self.controls = choices.controls

    def filter_fields(self):
        """What the filter's template shows of each field: `css` (the class of its box), `html` (its label and
        control, see `rendering.filter_control()`) and `errors`."""
        errors = self.errors
        fields = []
        for name, kind, label in self.controls:
            # What BoundField.value() gives for these fields (no initial value, none disabled): the widget's
            # reading of the submitted data.
            value = self.fields[name].widget.value_from_datadict(self.data, self.files, name)
            if name == "sort" and not value and "q" in self.valid_data():
                value = "relevance"  # the order used with a search
            control = rendering.filter_control(
                kind=kind, name=name, label=label, value=value, options=self.option_items.get(name, ())
            )
            css = "form-check mb-3" if kind == "checkbox" else "mb-3"
            fields.append({"css": css, "html": control, "errors": errors.get(name, ())})
        return fields

    def cache_key(self, *, with_sort=True) -> str:
        """What this form selects, from its validated values only (junk in the URL changes nothing here): the
        species page, then each valid filter. Without `with_sort`: what the count depends on."""
        data = self.valid_data()
        if not with_sort:
            data.pop("sort", None)
        species = self.species.pk if self.species else ""
        return f"{species}:{sorted((name, str(value)) for name, value in data.items())}"

    def sort(self) -> str:
        """The order of the results: the one chosen, else the best match first with a search, else the newest."""
        data = self.valid_data()
        return data.get("sort") or ("relevance" if "q" in data else "newest")

    def query_string(self, *, without: str = "", **changes) -> str:
        """The valid filters as a query string ("sex=male&sort=oldest"), in the form's order, for page links;
        `without` one of them, or with `changes` (q="labrador")."""
        data = {**self.valid_data(), **changes}
        data.pop(without, None)
        return urlencode([(name, "on" if data[name] is True else data[name]) for name in self.fields if name in data])

    def valid_data(self):
        """The cleaned values of the fields that passed validation (the others are ignored)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}

    def filter(self, queryset, today=None):
        """`queryset` narrowed to the valid filters (and to the species of a species page), in their order."""
        data = self.valid_data()
        today = today or date.today()
        if self.species is not None:
            queryset = queryset.filter(species_id=self.species.pk)
        if "q" in data:
            queryset = search.matching(queryset, text=data["q"], vocabulary=self.vocabulary, today=today)
        # Species and breeds by id, from the loaded choices: no join, and the (species, ...) indexes apply.
        if "species" in data:
            queryset = queryset.filter(species_id=self.species_ids[data["species"]])
        if "breed" in data:  # a breed's slug is unique within its species only
            queryset = queryset.filter(breed_id__in=[b.pk for b in self.breeds if b.slug == data["breed"]])
        if "sex" in data:
            queryset = queryset.filter(sex=data["sex"])
        if "age" in data:
            _, _, youngest, oldest = next(band for band in AGE_BANDS if band[0] == data["age"])
            queryset = queryset.filter(date_of_birth__lte=today - timedelta(days=youngest))
            if oldest is not None:
                queryset = queryset.filter(date_of_birth__gt=today - timedelta(days=oldest))
        if "price_min" in data:
            queryset = queryset.filter(price__gte=data["price_min"])
        if "price_max" in data:
            queryset = queryset.filter(price__lte=data["price_max"])
        if data.get("available"):
            queryset = queryset.filter(stock__gt=0)
        sort = self.sort()
        return queryset.order_by(*SORTS["newest" if sort == "relevance" and "q" not in data else sort])


class AnimalPhotoAdminForm(forms.ModelForm):
    """The admin's photo inline: a new upload is checked with Pillow here and processed by `photo_add`."""

    class Meta:
        model = AnimalPhoto
        fields = ["image", "alt_text", "is_main", "position"]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and "image" in self.changed_data:
            try:
                photo_prepare(upload=upload)
            except PhotoError as error:
                raise forms.ValidationError(str(error)) from error
            upload.seek(0)
        return upload
