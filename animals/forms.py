import html
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter

from django import forms
from django.forms.utils import pretty_name
from django.utils.html import format_html, html_safe
from django.utils.safestring import SafeString

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
    "newest": ("-created_at", "-pk"),
    "price_asc": ("price", "pk"),
    "price_desc": ("-price", "-pk"),
    "youngest": ("-date_of_birth", "-pk"),
    "oldest": ("date_of_birth", "pk"),
}
SORT_CHOICES = [
    ("newest", "Newest first"),
    ("price_asc", "Price: low to high"),
    ("price_desc", "Price: high to low"),
    ("youngest", "Youngest first"),
    ("oldest", "Oldest first"),
]
MAX_PRICE = Decimal("99999999.99")


def _option_items(choices):
    """A select's `choices` (groups as (label, choices)) as its <option>s and <optgroup>s: a tuple of
    (value, HTML, HTML when selected), value None for a group's tags.
    """
    items = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            items.append((None, format_html('<optgroup label="{}">', value), None))
            items.extend(_option_items(label))
            items.append((None, SafeString("</optgroup>"), None))
        else:
            items.append(
                (
                    value,
                    format_html('<option value="{}">{}</option>', value, label),
                    format_html('<option value="{}" selected>{}</option>', value, label),
                )
            )
    return tuple(items)


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


# A filter field's label and control, by kind: what Django's widget templates would render, without the
# template engine (a list page shows nine of them). Filled by format_html, which escapes every value.
CONTROLS = {
    "checkbox": (
        '<input class="form-check-input" type="checkbox" name="{name}" id="{id}"{checked}>\n'
        '<label class="form-check-label" for="{id}">{label}</label>'
    ),
    "select": (
        '<label class="form-label" for="{id}">{label}</label>\n'
        '<select class="form-select" name="{name}" id="{id}">{options}</select>'
    ),
    "number": (
        '<label class="form-label" for="{id}">{label}</label>\n'
        '<input class="form-control" type="number" min="0" step="0.01" inputmode="decimal" name="{name}" id="{id}" '
        'value="{value}">'
    ),
    "search": (
        '<label class="form-label" for="{id}">{label}</label>\n'
        '<input class="form-control" type="search" name="{name}" id="{id}" value="{value}" maxlength="100">'
    ),
}
CHECKED = SafeString(" checked")


def _control_template(kind, name, label):
    """CONTROLS[kind] with the field's name, id and label filled in, escaped, once per FilterChoices; {value},
    {checked} and {options} are left for each form to fill."""

    def text(value):
        return html.escape(str(value)).replace("{", "{{").replace("}", "}}")

    return CONTROLS[kind].format(
        name=text(name),
        id=text(f"id_{name}"),
        label=text(label),
        value="{value}",
        checked="{checked}",
        options="{options}",
    )


@html_safe
class FilterControl:
    """A filter control's HTML, put together by `AnimalFilterForm.filter_fields()` from its field's template and
    escaped values: the template engine shows it as it is."""

    __slots__ = ("html",)

    def __init__(self, html):
        self.html = html

    def __str__(self):
        return self.html


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
    (its page). Built once per kept species list by the views and shared by the forms made with it.

    A Django form deep-copies its fields for each instance; for these (dozens of breeds) the copy, and setting
    the choices again, took a tenth of a list page's time. The shared fields are only read: validating a form
    never changes its fields.
    """

    def __init__(self, species_list, species=None):
        self.species_ids = {s.slug: s.pk for s in species_list}
        # Every breed (the search matches breed names across species), by name.
        self.breeds = sorted((breed for s in species_list for breed in s.breed_list), key=attrgetter("name"))
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
        # Each select's options, escaped once (see AnimalFilterForm._options).
        self.options = {
            name: _option_items(field.choices) for name, field in fields.items() if isinstance(field, forms.ChoiceField)
        }
        # Each field's kind and markup (CONTROLS, its name and label filled in), in the form's order.
        self.controls = []
        for name, field in fields.items():
            kind = _control_kind(field)
            label = field.label if field.label is not None else pretty_name(name)
            self.controls.append((name, kind, _control_template(kind, name, label)))


class AnimalFilterForm(forms.Form):
    """The catalogue's GET filters. Each invalid field is ignored on its own (and its error shown).

    Its fields come from `choices` (a `FilterChoices`), shared with the other forms made with it.
    """

    def __init__(self, data=None, *, choices):
        super().__init__(data)
        self.fields = choices.fields
        self.breeds = choices.breeds
        self.species_ids = choices.species_ids
        self.option_items = choices.options
        self.controls = choices.controls

    def _options(self, name):
        """The select's <option>s (and <optgroup>s: the breeds of each species) as HTML, the chosen one selected.

        Built here, escaped, like a widget would, instead of a template loop: the breed list alone has dozens of
        options, and the template engine took most of the filter's render time over them.
        """
        chosen = self.data.get(name)
        return "".join(
            selected if value is not None and value == chosen else plain
            for value, plain, selected in self.option_items[name]
        )

    def filter_fields(self):
        """What the filter's template shows of each field: `css` (the class of its box), `html` (its label and
        control, see CONTROLS) and `errors`."""
        errors = self.errors
        fields = []
        for name, kind, template in self.controls:
            # What BoundField.value() gives for these fields (no initial value, none disabled), without the bound
            # field's bookkeeping: the widget's reading of the submitted data.
            value = self.fields[name].widget.value_from_datadict(self.data, self.files, name)
            control = template.format(
                value=html.escape(str(value)) if value else "",
                checked=CHECKED if value else "",
                options=self._options(name) if kind == "select" else "",
            )
            css = "form-check mb-3" if kind == "checkbox" else "mb-3"
            fields.append({"css": css, "html": FilterControl(control), "errors": errors.get(name, ())})
        return fields

    def valid_data(self):
        """The cleaned values of the fields that passed validation (the others are ignored)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}

    def filter(self, queryset, today=None):
        data = self.valid_data()
        today = today or date.today()
        if "q" in data:
            text = data["q"].casefold()
            queryset = queryset.search(data["q"], breed_ids=[b.pk for b in self.breeds if text in b.name.casefold()])
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
        return queryset.order_by(*SORTS[data.get("sort", "newest")])


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
