import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from alerts.services import alerts_animals_published
from animals.caching import catalogue_changed
from animals.forms import AnimalPhotoAdminForm
from animals.models import (
    FACT_FIELDS,
    FACTS,
    Animal,
    AnimalPhoto,
    Breed,
    Species,
    Vaccination,
    validate_microchip_number,
)
from animals.services import PhotoError, animals_set_published, photo_add, photo_prepare


def fact_fields_not_for(species) -> list[str]:
    """The animal form's fields of the facts that do not apply to `species`."""
    return [field for name in FACTS if not species.has_fact(name) for field in FACT_FIELDS.get(name, [name])]


class CatalogueChangesMixin:
    """Every save or delete made by staff invalidates the cached catalogue pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(catalogue_changed)
        if isinstance(obj, Animal) and obj.is_published and (not change or "is_published" in form.changed_data):
            alerts_animals_published(animal_ids=[obj.pk])  # "tell me when a new one arrives"

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(catalogue_changed)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(catalogue_changed)


class BreedInline(admin.TabularInline):
    model = Breed
    extra = 1
    prepopulated_fields = {"slug": ["name"]}


class SpeciesAdminForm(forms.ModelForm):
    facts = forms.MultipleChoiceField(
        label="Facts that apply",
        choices=list(FACTS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What staff record and customers see for animals of this species (no vaccination for fish...).",
    )

    class Meta:
        model = Species
        fields = [
            "name",
            "slug",
            "plural",
            "description",
            "display_order",
            "facts",
            "sex_required",
            "care_guide_young",
            "care_guide",
            "adult_at_months",
        ]

    def clean_facts(self):
        chosen = set(self.cleaned_data["facts"])
        return [name for name in FACTS if name in chosen]  # in the order the animal page lists them


@admin.register(Species)
class SpeciesAdmin(CatalogueChangesMixin, admin.ModelAdmin):
    form = SpeciesAdminForm
    list_display = ["name", "plural", "young_word", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BreedInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "plural", "description", "display_order"]}),
        ("Facts", {"fields": ["facts", "sex_required"]}),
        ("Care guides", {"fields": ["care_guide_young", "care_guide", "adult_at_months"]}),
    ]


@admin.register(Breed)
class BreedAdmin(CatalogueChangesMixin, admin.ModelAdmin):
    list_display = ["name", "species"]
    list_filter = ["species"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class InStockFilter(admin.SimpleListFilter):
    title = "in stock"
    parameter_name = "in_stock"

    def lookups(self, request, model_admin):
        return [("yes", "In stock"), ("no", "Out of stock")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(stock__gt=0)
        if self.value() == "no":
            return queryset.filter(stock=0)
        return queryset


class AnimalPhotoFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f not in self.deleted_forms and getattr(f, "cleaned_data", None)]
        mains = [f for f in kept if f.cleaned_data.get("is_main")]
        if len(mains) > 1:
            raise ValidationError("Tick “main photo” on one photo only.")


class AnimalPhotoInlineForm(AnimalPhotoAdminForm):
    def validate_constraints(self):
        """Skip the row-by-row check of "one main photo per animal" against the database, which refuses moving
        the main photo to another row: the formset checks it across the rows (AnimalPhotoFormSet.clean) and
        `AnimalAdmin.save_formset` unsets the old main photo before saving the new one."""


class AnimalPhotoInline(admin.TabularInline):
    model = AnimalPhoto
    form = AnimalPhotoInlineForm
    formset = AnimalPhotoFormSet
    extra = 1
    fields = ["preview", "image", "alt_text", "is_main", "position"]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, photo):
        if not photo.thumbnail:
            return "—"
        return format_html('<img src="{}" alt="{}" width="120" height="90">', photo.thumbnail.url, photo.alt_text)


class VaccinationInline(admin.TabularInline):
    model = Vaccination
    extra = 1
    fields = ["name", "given_on", "next_due"]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Any number of image files from one file input; each is checked as a photo (cleans to a list)."""

    def __init__(self, **kwargs):
        super().__init__(widget=MultiplePhotoInput(attrs={"accept": "image/*"}), **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data] if data else []
        cleaned = [super(MultiplePhotoField, self).clean(upload, initial) for upload in uploads]
        for upload in cleaned:
            try:
                photo_prepare(upload=upload)
            except PhotoError as error:
                raise forms.ValidationError(f"{upload.name}: {error}") from error
            upload.seek(0)
        return cleaned


class AnimalAdminForm(forms.ModelForm):
    new_photos = MultiplePhotoField(
        required=False,
        label="Add photos",
        help_text="Choose several pictures at once; they are added after the photos below, in the order chosen. "
        "Set their order (position) and the main photo in the list of photos once saved.",
    )

    # Longer than the number itself: staff copy it from a certificate or a scanner, often in groups
    # ("985 141 000 123 456"); the spaces and dashes are taken out before it is checked.
    microchip_number = forms.CharField(
        label="Microchip number",
        required=False,
        max_length=30,
        help_text=Animal._meta.get_field("microchip_number").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "breed" in self.fields:
            self._offer_breeds_of_species(self.fields["breed"])
        if "species" in self.fields:
            # For admin-breeds.js: the fields of the facts that do not apply, per species, to hide them as soon
            # as the species is chosen (get_fieldsets leaves them out once the species is known).
            widget = self.fields["species"].widget
            attrs = getattr(widget, "widget", widget).attrs
            attrs["data-hidden-facts"] = json.dumps(
                {species.pk: fact_fields_not_for(species) for species in Species.objects.all()}
            )

    def _species_id(self):
        """The species the form is about: the one posted, else the animal's, else the add page's (?species=)."""
        raw = self.data.get("species") if self.is_bound else self.initial.get("species", self.instance.species_id)
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None

    def _offer_breeds_of_species(self, field):
        """Only the breeds of the animal's species once it is known (all of them, grouped by species, on a new
        animal's page, where static/animals/admin-breeds.js shows the chosen species' group)."""
        species_id = self._species_id()
        breeds = Breed.objects.select_related("species").order_by("species__display_order", "species__name", "name")
        if species_id is not None:
            breeds = breeds.filter(species_id=species_id)
        field.queryset = breeds
        field.error_messages["invalid_choice"] = "Choose a breed of the animal's species (or none)."
        grouped = {}
        for breed in breeds:
            grouped.setdefault(breed.species.name, []).append((breed.pk, breed.name))
        field.choices = [("", "---------"), *grouped.items()]

    def clean_microchip_number(self):
        number = self.cleaned_data["microchip_number"].replace(" ", "").replace("-", "")
        if not number:
            return None
        validate_microchip_number(number)  # its one clear message, instead of the column's length check too
        return number


@admin.register(Animal)
class AnimalAdmin(CatalogueChangesMixin, admin.ModelAdmin):
    list_display = ["thumbnail", "name", "species", "breed", "sex", "price", "stock", "is_published"]
    list_display_links = ["thumbnail", "name"]
    list_editable = ["price", "stock"]
    list_filter = ["species", "sex", "is_published", InStockFilter]
    list_select_related = ["species", "breed"]
    search_fields = ["name", "breed__name", "description", "=microchip_number"]
    prepopulated_fields = {"slug": ["name"]}
    form = AnimalAdminForm
    inlines = [AnimalPhotoInline, VaccinationInline]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "species",
                    "breed",
                    "sex",
                    "sex_not_known",
                    "date_of_birth",
                    "colour",
                    "description",
                ]
            },
        ),
        ("Sale", {"fields": ["price", "stock", "is_published"]}),
        ("Health", {"fields": ["vaccinated", "microchipped", "microchip_number", "neutered", "health_note"]}),
        (
            "Facts",
            {
                "fields": [
                    "adult_size",
                    "coat_length",
                    "energy_level",
                    "good_with_children",
                    "good_with_dogs",
                    "good_with_cats",
                    "house_trained",
                    "hypoallergenic",
                    "special_needs",
                ]
            },
        ),
        ("Photos", {"fields": ["new_photos"]}),
    ]

    class Media:
        js = ["animals/admin-breeds.js"]

    def get_fieldsets(self, request, obj=None):
        """Only the facts that apply to the animal's species (all of them while it is not chosen yet)."""
        species = obj.species if obj is not None else self._species_of_request(request)
        if species is None:
            return self.fieldsets
        hidden = set(fact_fields_not_for(species))
        fieldsets = []
        for title, options in self.fieldsets:
            fields = [name for name in options["fields"] if name not in hidden]
            if fields:
                fieldsets.append((title, {**options, "fields": fields}))
        return fieldsets

    @staticmethod
    def _species_of_request(request):
        raw = request.POST.get("species") or request.GET.get("species")
        return Species.objects.filter(pk=raw).first() if raw and raw.isdigit() else None

    def get_queryset(self, request):
        return super().get_queryset(request).with_main_thumbnail()

    def get_readonly_fields(self, request, obj=None):
        # The slug is in every link customers saved: it stays as it was created.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    @admin.display(description="Photo")
    def thumbnail(self, animal):
        if not animal.main_thumbnail_url:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="80" height="60">', animal.main_thumbnail_url, animal.main_alt_text
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for upload in form.cleaned_data.get("new_photos", []):
            photo_add(animal=form.instance, upload=upload, alt_text="")

    def save_formset(self, request, form, formset, change):
        if formset.model is not AnimalPhoto:
            return super().save_formset(request, form, formset, change)
        new_uploads = [f for f in formset.extra_forms if f.has_changed() and f not in formset.deleted_forms]
        formset.forms = [f for f in formset.forms if f not in new_uploads]
        kept = [f for f in formset.forms if f not in formset.deleted_forms and f.instance.pk]
        new_main = next((f.instance.pk for f in kept if f.cleaned_data.get("is_main")), None)
        if new_main is not None:
            AnimalPhoto.objects.filter(animal=form.instance, is_main=True).exclude(pk=new_main).update(is_main=False)
        formset.save()
        for photo_form in new_uploads:
            data = photo_form.cleaned_data
            photo_add(animal=form.instance, upload=data["image"], alt_text=data["alt_text"], is_main=data["is_main"])
        transaction.on_commit(catalogue_changed)

    @admin.action(description="Publish the selected animals", permissions=["change"])
    def publish(self, request, queryset):
        count = animals_set_published(animals=queryset, published=True)
        self.message_user(request, f"{count} animal(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected animals", permissions=["change"])
    def unpublish(self, request, queryset):
        count = animals_set_published(animals=queryset, published=False)
        self.message_user(request, f"{count} animal(s) unpublished.", messages.SUCCESS)
