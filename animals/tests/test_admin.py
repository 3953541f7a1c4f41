from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from animals.models import Animal, AnimalPhoto
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory
from animals.tests.images import image_upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:animals_animal_changelist")
ADD = reverse("admin:animals_animal_add")


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(email="boss@example.com", password="x")
    client.force_login(user)
    return client


def add_form(species, **overrides):
    data = {
        "name": "Rex",
        "slug": "rex",
        "species": species.pk,
        "breed": "",
        "sex": "male",
        "date_of_birth": "2024-01-01",
        "colour": "Brown",
        "description": "",
        "price": "100.00",
        "stock": "1",
        "is_published": "on",
        "health_note": "",
        "good_with_children": "unknown",
        "good_with_dogs": "unknown",
        "good_with_cats": "unknown",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-alt_text": "Rex on the lawn",
        "photos-0-is_main": "on",
        "photos-0-position": "0",
        **inline_management("vaccinations"),
    }
    data.update(overrides)
    return data


def inline_management(prefix, total=0, initial=0):
    """The management form of an inline with `total` rows, `initial` of them saved already."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_changelist_shows_thumbnails(admin_client, django_assert_max_num_queries):
    for animal in AnimalFactory.create_batch(10):
        AnimalPhotoFactory(animal=animal, alt_text=f"Look at {animal.name}")
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.text.count('alt="Look at ') == 10


def test_filters_and_search(admin_client):
    dogs = SpeciesFactory(slug="dogs")
    AnimalFactory(name="Rex", breed=BreedFactory(species=dogs, name="Beagle"), stock=0)
    AnimalFactory(name="Tom", description="A fluffy cat", is_published=False)

    def shown(**params):
        return sorted(a.name for a in admin_client.get(CHANGELIST, params).context["cl"].result_list)

    assert shown(species__id__exact=dogs.pk) == ["Rex"]
    assert shown(in_stock="yes") == ["Tom"]
    assert shown(in_stock="no") == ["Rex"]
    assert shown(is_published__exact="0") == ["Tom"]
    assert shown(sex__exact="female") == ["Rex", "Tom"]
    assert shown(q="beagle") == ["Rex"]
    assert shown(q="fluffy") == ["Tom"]


def test_add_animal_with_a_photo_processes_it(admin_client):
    species = SpeciesFactory()
    response = admin_client.post(ADD, add_form(species, **{"photos-0-image": image_upload(size=(2400, 1600))}))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    photo = AnimalPhoto.objects.get()
    assert photo.animal.name == "Rex"
    assert photo.alt_text == "Rex on the lawn"
    assert photo.is_main
    assert photo.thumbnail.width == 400
    assert photo.display.width == 1200


def test_a_fake_image_upload_gets_a_form_error_and_saves_nothing(admin_client):
    species = SpeciesFactory()
    fake = image_upload()
    fake.file.write(b"garbage")
    fake.file.seek(0)
    fake.file.truncate(10)
    response = admin_client.post(ADD, add_form(species, **{"photos-0-image": fake}))
    assert response.status_code == 200
    assert "image" in response.text.lower()
    assert not Animal.objects.exists()
    assert not AnimalPhoto.objects.exists()


def test_a_gif_upload_gets_a_clear_form_error(admin_client):
    species = SpeciesFactory()
    gif = image_upload(image_format="GIF", name="a.gif")
    response = admin_client.post(ADD, add_form(species, **{"photos-0-image": gif}))
    assert response.status_code == 200
    assert "GIF images are not accepted" in response.text
    assert not Animal.objects.exists()


def test_a_negative_price_gets_a_form_error(admin_client):
    response = admin_client.post(ADD, add_form(SpeciesFactory(), price="-5"))
    assert response.status_code == 200
    assert not Animal.objects.exists()


def test_publish_and_unpublish_actions(admin_client):
    hidden = AnimalFactory(is_published=False)
    shown = AnimalFactory(is_published=True)
    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": [hidden.pk]})
    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [shown.pk]})
    hidden.refresh_from_db()
    shown.refresh_from_db()
    assert hidden.is_published
    assert not shown.is_published


def test_price_and_stock_are_editable_in_the_list(admin_client):
    animal = AnimalFactory(price=Decimal("100.00"), stock=1)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": animal.pk,
        "form-0-price": "120.50",
        "form-0-stock": "3",
        "_save": "Save",
    }
    assert admin_client.post(CHANGELIST, data).status_code == 302
    animal.refresh_from_db()
    assert (animal.price, animal.stock) == (Decimal("120.50"), 3)


def test_staff_without_change_permission_cannot_change_animals(client, django_user_model):
    user = django_user_model.objects.create_user(email="clerk@example.com", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_animal"))
    client.force_login(user)
    animal = AnimalFactory(name="Rex", is_published=False)
    change_url = reverse("admin:animals_animal_change", args=[animal.pk])
    assert client.get(CHANGELIST).status_code == 200  # may look
    assert client.post(change_url, {"name": "Changed"}).status_code == 403
    assert client.get(ADD).status_code == 403
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [animal.pk]})
    animal.refresh_from_db()
    assert animal.name == "Rex"
    assert not animal.is_published


def _without_inline_photo(species, **overrides):
    return add_form(species, **{"photos-0-alt_text": "", "photos-0-is_main": "", **overrides})


def test_several_photos_are_added_at_once_in_the_order_chosen(admin_client):
    species = SpeciesFactory()
    uploads = [image_upload(name=f"rex-{n}.jpg", colour=colour) for n, colour in enumerate(["red", "green", "blue"])]
    response = admin_client.post(ADD, _without_inline_photo(species, new_photos=uploads))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    photos = list(Animal.objects.get().photos.order_by("position"))
    assert [photo.image.name.rsplit("/", 1)[-1].split("_")[0].split(".")[0] for photo in photos] == [
        "rex-0",
        "rex-1",
        "rex-2",
    ]
    assert [photo.position for photo in photos] == [0, 1, 2]
    assert [photo.is_main for photo in photos] == [True, False, False]
    assert all(photo.thumbnail and photo.display for photo in photos)


def test_one_bad_file_among_several_photos_saves_nothing(admin_client):
    species = SpeciesFactory()
    uploads = [image_upload(name="good.jpg"), image_upload(image_format="GIF", name="bad.gif")]
    response = admin_client.post(ADD, _without_inline_photo(species, new_photos=uploads))
    assert response.status_code == 200
    assert "bad.gif: GIF images are not accepted" in response.text
    assert not Animal.objects.exists() and not AnimalPhoto.objects.exists()


def test_photo_order_and_main_photo_are_set_on_the_animal_page(admin_client):
    animal = AnimalFactory(name="Rex", slug="rex")
    first = AnimalPhotoFactory(animal=animal, is_main=True, position=0)
    second = AnimalPhotoFactory(animal=animal, is_main=False, position=1)
    change = reverse("admin:animals_animal_change", args=[animal.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "new_photos"}
    data.update(species=animal.species_id, breed=animal.breed_id or "", price="100.00", is_published="on")
    data.update(
        {
            "photos-TOTAL_FORMS": "2",
            "photos-INITIAL_FORMS": "2",
            "photos-0-id": first.pk,
            "photos-0-animal": animal.pk,
            "photos-0-alt_text": "first",
            "photos-0-position": "5",
            "photos-1-id": second.pk,
            "photos-1-animal": animal.pk,
            "photos-1-alt_text": "second",
            "photos-1-is_main": "on",
            "photos-1-position": "0",
            **inline_management("vaccinations"),
        }
    )
    data["date_of_birth"] = animal.date_of_birth.isoformat() if animal.date_of_birth else ""
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert [(p.pk, p.is_main, p.position) for p in animal.photos.all()] == [(second.pk, True, 0), (first.pk, False, 5)]
    # and back: the main photo moves to the row saved first
    data.update({"photos-0-is_main": "on", "photos-1-is_main": ""})
    assert admin_client.post(change, data).status_code == 302
    assert [p.pk for p in animal.photos.filter(is_main=True)] == [first.pk]


def test_two_main_photos_ticked_get_a_form_error(admin_client):
    animal = AnimalFactory()
    photos = [AnimalPhotoFactory(animal=animal, is_main=n == 0, position=n) for n in range(2)]
    change = reverse("admin:animals_animal_change", args=[animal.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "new_photos"}
    data.update(species=animal.species_id, breed=animal.breed_id or "", price="100.00", is_published="on")
    data["date_of_birth"] = animal.date_of_birth.isoformat() if animal.date_of_birth else ""
    data.update({"photos-TOTAL_FORMS": "2", "photos-INITIAL_FORMS": "2", **inline_management("vaccinations")})
    for n, photo in enumerate(photos):
        data.update({f"photos-{n}-id": photo.pk, f"photos-{n}-animal": animal.pk, f"photos-{n}-alt_text": "x"})
        data.update({f"photos-{n}-position": n, f"photos-{n}-is_main": "on"})
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "main photo” on one photo only" in response.text
    assert animal.photos.filter(is_main=True).count() == 1
