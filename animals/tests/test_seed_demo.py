import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from animals.management.commands import seed_demo
from animals.models import Animal, AnimalPhoto, Breed, Species
from animals.tests.factories import AnimalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_photo_pool(monkeypatch):
    """Drawing the full pool of photos takes seconds; one per species shows the same behaviour."""
    monkeypatch.setattr(seed_demo, "PHOTOS_PER_SPECIES", 1)


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_creates_species_animals_photos_and_users():
    output = seed("--animals", "40")
    assert Species.objects.count() == 6
    assert Breed.objects.count() >= 20
    assert Species.objects.exclude(care_guide="").count() == 6
    animals = Animal.objects.filter(is_demo=True)
    assert animals.count() == 40
    assert AnimalPhoto.objects.filter(is_main=True).count() == 40
    assert not AnimalPhoto.objects.filter(alt_text="").exists()
    assert animals.values("species").distinct().count() >= 4
    assert "40/40 animals" in output  # the progress bar
    User = get_user_model()
    staff = User.objects.get(email="staff@petshop.example")
    assert staff.is_staff and not staff.is_superuser
    assert staff.has_perm("animals.change_animal") and staff.has_perm("orders.change_order")
    assert staff.has_perm("notifications.view_notification")  # the outbox in the admin
    assert not staff.has_perm("accounts.change_user")
    assert User.objects.get(email="admin@petshop.example").is_superuser
    customer = User.objects.get(email="customer@petshop.example")
    assert not customer.is_staff
    assert customer.check_password("petshop-customer-demo")
    assert "staff@petshop.example / petshop-staff-demo" in output


def test_seed_varies_the_data():
    seed("--animals", "200")
    animals = Animal.objects.all()
    assert animals.filter(stock=0).exists()  # some sold
    assert animals.filter(is_published=False).exists()  # some hidden
    assert animals.filter(stock__gt=2, species__slug__in=["fish", "birds"]).exists()  # batches
    assert animals.values("sex").distinct().count() >= 2
    assert animals.values("price").distinct().count() > 50


def test_seed_is_idempotent_and_tops_up():
    seed("--animals", "10")
    seed("--animals", "10")
    assert Animal.objects.count() == 10
    assert get_user_model().objects.count() == 3
    seed("--animals", "15")
    assert Animal.objects.count() == 15
    assert Species.objects.count() == 6


def test_reset_deletes_only_the_demo_animals():
    own = AnimalFactory(name="Staff's own")
    seed("--animals", "5")
    first = set(Animal.objects.filter(is_demo=True).values_list("pk", flat=True))
    seed("--animals", "5", "--reset")
    second = set(Animal.objects.filter(is_demo=True).values_list("pk", flat=True))
    assert len(second) == 5
    assert not first & second
    assert Animal.objects.filter(pk=own.pk).exists()


def test_negative_count_is_refused():
    with pytest.raises(CommandError):
        seed("--animals", "-1")


def test_seed_gives_the_planner_statistics_on_postgresql(require_postgres):
    from django.db import connection

    seed("--animals", "40")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'animals_animal'")
        assert cursor.fetchone()[0] == 40
