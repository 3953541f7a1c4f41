import pytest
from django.test import Client
from django.urls import reverse

from animals.models import Animal
from animals.tests.factories import AnimalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="boss@example.com", password="x"))
    return client


def test_anonymous_catalogue_pages_are_served_from_the_cache(client, cache_on, django_assert_num_queries):
    animal = AnimalFactory()
    urls = [reverse("animals:home"), reverse("animals:list"), animal.species.get_absolute_url()]
    urls.append(animal.get_absolute_url())
    for url in urls:
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_cache_off_means_fresh_pages(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    animal = AnimalFactory(name="Rex")
    client.get(reverse("animals:list"))
    Animal.objects.filter(pk=animal.pk).update(name="Renamed")
    assert "Renamed" in client.get(reverse("animals:list")).text


def test_a_staff_change_shows_at_once_on_cached_pages(admin_client, cache_on, django_capture_on_commit_callbacks):
    visitor = Client()
    animal = AnimalFactory(name="Rex", is_published=True)
    assert "Rex" in visitor.get(reverse("animals:list")).text
    assert visitor.get(animal.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:animals_animal_changelist"), {"action": "unpublish", "_selected_action": [animal.pk]}
        )
    assert "Rex" not in visitor.get(reverse("animals:list")).text
    assert visitor.get(animal.get_absolute_url()).status_code == 404


def test_the_add_to_cart_form_gets_each_visitors_own_csrf_token(cache_on):
    animal = AnimalFactory()
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        text = visitor.get(animal.get_absolute_url()).text
        token = text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        tokens.append((token, visitor.cookies["csrftoken"].value))
    assert tokens[0][0] != tokens[1][0]
    assert tokens[0][1] != tokens[1][1]
