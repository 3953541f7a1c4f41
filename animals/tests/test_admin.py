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
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "photos-0-alt_text": "Rex on the lawn",
        "photos-0-is_main": "on",
        "photos-0-position": "0",
    }
    data.update(overrides)
    return data


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
