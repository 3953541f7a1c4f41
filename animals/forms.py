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
        **_fact_filter_fields(),
        "sold": forms.BooleanField(label="Show sold animals", required=False),
        "sort": forms.ChoiceField(choices=SORT_CHOICES, required=False),
    }


# The filters of the facts staff record (Animal's adult size, good with children...), by field name: each is
# offered where its fact applies (every fact on the whole catalogue, the species' facts on its page).
FACT_FILTERS = {
    "adult_size": ("Adult size", "Any size", Animal.Size.choices),
    "coat_length": ("Coat length", "Any coat", Animal.Coat.choices),
    "energy_level": ("Energy level", "Any energy level", Animal.Energy.choices),
    "good_with_children": ("Good with children", None, None),
    "good_with_dogs": ("Good with dogs", None, None),
    "good_with_cats": ("Good with cats", None, None),
    "house_trained": ("House-trained", None, None),
    "hypoallergenic": ("Hypoallergenic", None, None),
}


def _fact_filter_fields():
    fields = {}
    for name, (label, any_label, choices) in FACT_FILTERS.items():
        if choices is None:  # a checkbox: only the animals for which the answer is yes
            fields[name] = forms.BooleanField(label=label, required=False)
        else:
            fields[name] = forms.ChoiceField(label=label, choices=[("", any_label), *choices], required=False)
    return fields


def _fact_lookup(name, value):
    """The filter's lookup for a fact: a yes/no/not-known answer must be yes, a choice must match."""
    if name.startswith("good_with_"):
        return {name: Animal.Answer.YES}
    return {name: value}


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
            for name in FACT_FILTERS:  # on a species' page, the filters of the facts that apply to it
                if not species.has_fact(name):
                    del fields[name]
        names = {s.pk: s.name for s in species_list}
        grouped = {}
        for breed in self.breeds:
            if species is None or breed.species_id == species.pk:
                grouped.setdefault(names.get(breed.species_id, ""), []).append((breed.slug, breed.name))
        fields["breed"].choices = [("", "Any breed")] + list(grouped.items())
        self.fields = fields
        # The breeds of each species ({species slug: (breed slugs, option items)}): once a species is chosen, the
        # breed filter offers only its breeds.
        self.breeds_by_species = {
            s.slug: (
                {breed.slug for breed in s.breed_list},
                rendering.option_items([("", "Any breed"), (s.name, [(b.slug, b.name) for b in s.breed_list])]),
            )
            for s in species_list
        }
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
        self.breeds_by_species = choices.breeds_by_species

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_min", f"The minimum price ({low}) is above the maximum price ({high}).")
        species, breed = cleaned.get("species"), cleaned.get("breed")
        if species and breed and breed not in self.breeds_by_species[species][0]:
            # A breed of another species (chosen before the species changed): the breed filter no longer offers
            # it, so it no longer applies.
            cleaned["breed"] = ""
        return cleaned

    def _options(self, name):
        if name == "breed":
            species = self.cleaned_data.get("species")
            if species:
                return self.breeds_by_species[species][1]
        return self.option_items.get(name, ())

    def all_breed_options(self):
        """Every breed's <option>s, grouped by species, for the script that narrows the breed filter at once when
        the species changes (animals/static/animals/catalogue-filters.js); empty on a species' page."""
        if self.species is not None:
            return ""
        return rendering.options_html(self.option_items["breed"])

    def filter_fields(self):
        """What the filter's template shows of each field: `css` (the class of its box), `html` (its label and
        control, see `rendering.filter_control()`) and `errors`."""
        errors = self.errors  # validates the form: _options() reads the chosen species
        fields = []
        for name, kind, label in self.controls:
            # What BoundField.value() gives for these fields (no initial value, none disabled): the widget's
            # reading of the submitted data.
            value = self.fields[name].widget.value_from_datadict(self.data, self.files, name)
            if name == "sort" and not value and "q" in self.valid_data():
                value = "relevance"  # the order used with a search
            control = rendering.filter_control(
                kind=kind, name=name, label=label, value=value, options=self._options(name)
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

    def active_filter_count(self) -> int:
        """How many filters are in use (the sort is not one), shown on the phone's "Filters" button."""
        return len([name for name in self.valid_data() if name != "sort"])

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
        for name in FACT_FILTERS:
            if name in data:
                queryset = queryset.filter(**_fact_lookup(name, data[name]))
        if not data.get("sold"):
            queryset = queryset.unsold()
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
