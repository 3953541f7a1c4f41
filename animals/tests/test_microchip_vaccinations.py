"""An animal's microchip number (15 digits, unique when set) and its vaccinations (inline rows in the admin)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from animals.models import Animal, Vaccination
from animals.tests.factories import AnimalFactory, SpeciesFactory
from animals.tests.test_admin import add_form, inline_management

pytestmark = pytest.mark.django_db

ADD = reverse("admin:animals_animal_add")
CHIP = "985141000123456"


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="boss@example.com", password="x"))
    return client


def animal_form(**overrides):
    """The admin's add form for an animal without photos or vaccinations."""
    return add_form(SpeciesFactory(), **{"photos-0-alt_text": "", "photos-0-is_main": "", **overrides})


def vaccination_rows(*rows):
    data = inline_management("vaccinations", total=len(rows))
    for n, (name, given_on, next_due) in enumerate(rows):
        data.update(
            {
                f"vaccinations-{n}-name": name,
                f"vaccinations-{n}-given_on": given_on.isoformat(),
                f"vaccinations-{n}-next_due": next_due.isoformat() if next_due else "",
            }
        )
    return data


def test_a_microchip_number_is_saved_without_the_spaces_staff_type(admin_client):
    response = admin_client.post(ADD, animal_form(microchipped="on", microchip_number="985 141 000-123 456"))
    assert response.status_code == 302
    assert Animal.objects.get().microchip_number == CHIP


@pytest.mark.parametrize("number", ["98514100012345", "9851410001234567", "98514100012345X", "ABCDEFGHIJKLMNO"])
def test_a_microchip_number_that_is_not_15_digits_gets_a_clear_message(admin_client, number):
    response = admin_client.post(ADD, animal_form(microchipped="on", microchip_number=number))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["microchip_number"] == [
        "A microchip number is 15 digits (ISO 11784/11785), e.g. 985141000123456."
    ]
    assert not Animal.objects.exists()


def test_two_animals_cannot_share_a_microchip_number(admin_client):
    AnimalFactory(microchipped=True, microchip_number=CHIP)
    response = admin_client.post(ADD, animal_form(slug="rex-2", microchipped="on", microchip_number=CHIP))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["microchip_number"] == [
        "Another animal already has this microchip number."
    ]
    assert Animal.objects.count() == 1


def test_the_database_refuses_a_repeated_microchip_number():
    AnimalFactory(microchipped=True, microchip_number=CHIP)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnimalFactory(microchipped=True, microchip_number=CHIP)


def test_the_database_refuses_a_malformed_microchip_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        AnimalFactory(microchipped=True, microchip_number="12345")


def test_any_number_of_animals_can_have_no_microchip_number(admin_client):
    AnimalFactory(microchip_number=None)
    response = admin_client.post(ADD, animal_form(slug="rex-2", microchip_number=""))
    assert response.status_code == 302
    assert list(Animal.objects.values_list("microchip_number", flat=True)) == [None, None]


def test_a_microchip_number_needs_microchipped_ticked(admin_client):
    response = admin_client.post(ADD, animal_form(microchip_number=CHIP))
    assert response.status_code == 200
    assert "Tick “microchipped” for an animal with a microchip number." in response.text
    assert not Animal.objects.exists()


def test_vaccinations_are_added_as_inline_rows(admin_client):
    today = timezone.localdate()
    rows = [("DHPP, first dose", today - timedelta(days=30), today + timedelta(days=20)), ("Rabies", today, None)]
    response = admin_client.post(ADD, animal_form(**vaccination_rows(*rows)))
    assert response.status_code == 302
    animal = Animal.objects.get()
    assert [(v.name, v.given_on, v.next_due) for v in animal.vaccinations.all()] == rows


def test_a_vaccination_given_in_the_future_is_refused_with_a_clear_message(admin_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = admin_client.post(ADD, animal_form(**vaccination_rows(("Rabies", tomorrow, None))))
    assert response.status_code == 200
    assert "This date is in the future: record a vaccination once it is given." in response.text
    assert not Animal.objects.exists() and not Vaccination.objects.exists()


def test_the_next_dose_must_be_due_after_the_date_given(admin_client):
    today = timezone.localdate()
    response = admin_client.post(ADD, animal_form(**vaccination_rows(("Rabies", today, today))))
    assert response.status_code == 200
    assert "The next dose is due after the date given." in response.text
    assert not Vaccination.objects.exists()


def test_a_vaccination_given_today_is_valid():
    vaccination = Vaccination(animal=AnimalFactory(), name="Rabies", given_on=timezone.localdate())
    vaccination.full_clean()
    vaccination.given_on += timedelta(days=1)
    with pytest.raises(ValidationError):
        vaccination.full_clean()


def test_the_animal_page_in_the_admin_shows_its_vaccinations(admin_client):
    animal = AnimalFactory()
    Vaccination.objects.create(animal=animal, name="Leptospirosis", given_on=timezone.localdate())
    response = admin_client.get(reverse("admin:animals_animal_change", args=[animal.pk]))
    assert response.status_code == 200
    assert 'value="Leptospirosis"' in response.text
    assert "microchip_number" in response.text
