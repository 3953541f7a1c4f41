from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from animals.caching import catalogue_changed
from animals.forms import AnimalPhotoAdminForm
from animals.models import Animal, AnimalPhoto, Breed, Species, Vaccination, validate_microchip_number
from animals.services import PhotoError, animals_set_published, photo_add, photo_prepare


class CatalogueChangesMixin:
    """Every save or delete made by staff invalidates the cached catalogue pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(catalogue_changed)

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


@admin.register(Species)
class SpeciesAdmin(CatalogueChangesMixin, admin.ModelAdmin):
    list_display = ["name", "plural", "young_word", "display_order"]
    list_editable = ["display_order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BreedInline]


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
    autocomplete_fields = ["breed"]
    form = AnimalAdminForm
    inlines = [AnimalPhotoInline, VaccinationInline]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "slug", "species", "breed", "sex", "date_of_birth", "colour", "description"]}),
        ("Sale", {"fields": ["price", "stock", "is_published"]}),
        ("Health", {"fields": ["vaccinated", "microchipped", "microchip_number", "neutered", "health_note"]}),
        ("Photos", {"fields": ["new_photos"]}),
    ]

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
