"""Hearts, the Favourites page, a guest's favourites joining the account, and the available-again e-mail."""

import re

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from animals.tests.factories import AnimalFactory, BreedFactory
from favourites import services
from favourites.guest import SESSION_KEY
from favourites.models import Favourite
from notifications.models import Notification
from orders.models import Order
from orders.services import order_cancel, order_expire
from orders.tests.factories import OrderItemFactory

pytestmark = pytest.mark.django_db
TOGGLE = reverse("favourites:toggle")
LIST = reverse("favourites:list")


def reserved_animal(**kwargs):
    """An animal whose one unit is held by an order pending payment; the order."""
    animal = AnimalFactory(stock=0, **kwargs)
    item = OrderItemFactory(animal=animal, quantity=1)
    assert item.order.status == Order.Status.PENDING_PAYMENT
    return animal, item.order


def test_a_guest_saves_a_favourite_in_the_session_and_is_sent_back(client):
    animal = AnimalFactory()
    response = client.post(TOGGLE, {"animal": animal.pk, "next": "/animals/"})
    assert response.status_code == 302 and response["Location"] == "/animals/"
    assert client.session[SESSION_KEY] == [animal.pk]
    assert Favourite.objects.count() == 0


def test_saving_twice_is_harmless_and_saved_0_removes(client):
    animal = AnimalFactory()
    client.post(TOGGLE, {"animal": animal.pk})
    client.post(TOGGLE, {"animal": animal.pk})
    assert client.session[SESSION_KEY] == [animal.pk]
    client.post(TOGGLE, {"animal": animal.pk, "saved": "0"})
    assert client.session[SESSION_KEY] == []


def test_the_script_gets_json_back(client):
    animal = AnimalFactory()
    response = client.post(TOGGLE, {"animal": animal.pk, "saved": "1"}, headers={"Accept": "application/json"})
    assert response.json() == {"animal": animal.pk, "saved": True}


def test_a_customer_s_favourites_are_in_the_database(client):
    user, animal = UserFactory(), AnimalFactory()
    client.force_login(user)
    client.post(TOGGLE, {"animal": animal.pk})
    assert list(Favourite.objects.filter(user=user).values_list("animal_id", flat=True)) == [animal.pk]
    client.post(TOGGLE, {"animal": animal.pk, "saved": "0"})
    assert not Favourite.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "99999999999999"])
def test_junk_animal_ids_get_a_400_and_change_nothing(client, value):
    response = client.post(TOGGLE, {"animal": value})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_an_unpublished_animal_cannot_be_saved_and_the_visitor_is_told(client):
    hidden = AnimalFactory(is_published=False)
    response = client.post(TOGGLE, {"animal": hidden.pk, "next": "/animals/"}, follow=True)
    assert "This animal is no longer listed." in response.content.decode()
    assert client.session.get(SESSION_KEY, []) == []
    json = client.post(TOGGLE, {"animal": hidden.pk}, headers={"Accept": "application/json"})
    assert json.status_code == 400 and json.json()["error"] == "This animal is no longer listed."


def test_a_foreign_next_url_is_ignored(client):
    animal = AnimalFactory()
    response = client.post(TOGGLE, {"animal": animal.pk, "next": "https://evil.example.com/"})
    assert response["Location"] == LIST


def test_at_most_max_favourites(client, monkeypatch):
    monkeypatch.setattr(services, "MAX_FAVOURITES", 2)
    animals = AnimalFactory.create_batch(3)
    for animal in animals:
        client.post(TOGGLE, {"animal": animal.pk})
    assert client.session[SESSION_KEY] == [animals[1].pk, animals[0].pk]
    user = UserFactory()
    for animal in animals[:2]:
        services.favourite_set(user=user, animal_id=animal.pk, saved=True)
    with pytest.raises(services.FavouriteError, match="up to 2"):
        services.favourite_set(user=user, animal_id=animals[2].pk, saved=True)


def test_a_guest_s_favourites_join_the_account_at_log_in(client):
    user = UserFactory()
    kept, new, gone = AnimalFactory(), AnimalFactory(), AnimalFactory()
    Favourite.objects.create(user=user, animal=kept)
    for animal in (kept, new, gone):
        client.post(TOGGLE, {"animal": animal.pk})
    gone.is_published = False
    gone.save()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and AUTH_SESSION_KEY in client.session
    assert set(Favourite.objects.filter(user=user).values_list("animal_id", flat=True)) == {kept.pk, new.pk}
    assert SESSION_KEY not in client.session
    page = client.get(LIST).content.decode()
    assert kept.name in page and new.name in page


def test_the_favourites_page_shows_the_current_status(client):
    available = AnimalFactory(name="Avail")
    reserved, _ = reserved_animal(name="Held")
    for animal in (available, reserved):
        client.post(TOGGLE, {"animal": animal.pk})
    response = client.get(LIST)
    assert response.status_code == 200
    assert [row.animal.status for row in response.context["rows"]] == ["reserved", "available"]
    html = response.content.decode()
    assert "Held is reserved by someone else" in html and "Log in</a> to be e-mailed" in html


def test_a_sold_favourite_says_so_and_suggests_similar_available_animals(client):
    breed = BreedFactory()
    sold = AnimalFactory(name="Gone", breed=breed, species=breed.species, stock=0)
    same_breed = AnimalFactory(name="Twin", breed=breed, species=breed.species)
    same_species = AnimalFactory(name="Cousin", species=breed.species)
    AnimalFactory(name="Stranger")  # another species
    AnimalFactory(name="Hidden", breed=breed, species=breed.species, is_published=False)
    client.post(TOGGLE, {"animal": sold.pk})
    response = client.get(LIST)
    [row] = response.context["rows"]
    assert [a.name for a in row.similar] == ["Twin", "Cousin"]
    html = response.content.decode()
    assert "Gone has been sold." in html and "Stranger" not in html and "Hidden" not in html
    assert same_breed.get_absolute_url() in html and same_species.get_absolute_url() in html


def test_an_unpublished_favourite_is_not_shown(client):
    animal = AnimalFactory(name="Secret")
    client.post(TOGGLE, {"animal": animal.pk})
    animal.is_published = False
    animal.save()
    assert "Secret" not in client.get(LIST).content.decode()


def test_the_customer_asks_for_the_e_mail_and_gets_it_once_when_the_reservation_expires(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    animal, order = reserved_animal(name="Clover")
    client.force_login(user)
    client.post(TOGGLE, {"animal": animal.pk})
    response = client.post(reverse("favourites:notify"), {"animal": animal.pk, "notify": "1"}, follow=True)
    assert "We will e-mail you if it becomes available again." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        order_expire(order_id=order.pk)
        order_expire(order_id=order.pk)  # idempotent: nothing more
    [notification] = Notification.objects.filter(kind="favourite-available")
    assert notification.to == user.email
    assert "Clover is available again" in notification.subject
    assert animal.get_absolute_url() in notification.body_text
    assert Favourite.objects.get().notify_requested_at is None  # one e-mail per request


def test_a_cancelled_reservation_also_tells_the_waiting_customer(django_capture_on_commit_callbacks):
    user = UserFactory()
    animal, order = reserved_animal()
    Favourite.objects.create(user=user, animal=animal)
    services.favourite_notify_set(user=user, animal_id=animal.pk, notify=True)
    order_cancel(order_id=order.pk)
    assert Notification.objects.filter(kind="favourite-available", to=user.email).count() == 1


def test_nobody_is_told_without_asking():
    user = UserFactory()
    animal, order = reserved_animal()
    Favourite.objects.create(user=user, animal=animal)
    order_expire(order_id=order.pk)
    assert not Notification.objects.filter(kind="favourite-available").exists()


def test_the_e_mail_can_be_asked_for_only_while_the_animal_is_reserved(client):
    user = UserFactory()
    animal = AnimalFactory()
    Favourite.objects.create(user=user, animal=animal)
    with pytest.raises(services.FavouriteError, match="while the animal is reserved"):
        services.favourite_notify_set(user=user, animal_id=animal.pk, notify=True)
    with pytest.raises(services.FavouriteError, match="favourites first"):
        services.favourite_notify_set(user=UserFactory(), animal_id=animal.pk, notify=True)
    assert Favourite.objects.get().notify_requested_at is None


def test_switching_the_e_mail_off_again(client):
    user = UserFactory()
    animal, order = reserved_animal()
    Favourite.objects.create(user=user, animal=animal)
    client.force_login(user)
    client.post(reverse("favourites:notify"), {"animal": animal.pk, "notify": "1"})
    client.post(reverse("favourites:notify"), {"animal": animal.pk, "notify": "0"})
    order_expire(order_id=order.pk)
    assert not Notification.objects.filter(kind="favourite-available").exists()


def test_guests_cannot_ask_for_the_e_mail(client):
    animal, _ = reserved_animal()
    response = client.post(reverse("favourites:notify"), {"animal": animal.pk, "notify": "1"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


HEART = re.compile(r'<button type="submit" form="favourite-form" name="animal" value="(\d+)"[^>]*>')


def test_cached_cards_carry_no_visitor_state_and_the_per_visitor_form_does(client, settings):
    """The anonymous page cache shares the cards: hearts there are the same for everyone; the saved ids
    are only in the per-visitor form outside the cached HTML."""
    settings.CATALOGUE_CACHE_SECONDS = 60
    saved, other = AnimalFactory(), AnimalFactory()
    client.post(TOGGLE, {"animal": saved.pk})
    first = client.get(reverse("animals:list")).content.decode()
    assert f'data-favourites="{saved.pk}"' in first
    assert sorted(HEART.findall(first)) == sorted([str(saved.pk), str(other.pk)])
    assert "aria-pressed" not in "".join(m.group(0) for m in HEART.finditer(first))

    from django.test import Client

    stranger = Client().get(reverse("animals:list")).content.decode()  # the same cached cards
    assert 'data-favourites=""' in stranger
    assert "aria-pressed" not in "".join(m.group(0) for m in HEART.finditer(stranger))
    assert 'id="favourite-form"' in stranger and "csrfmiddlewaretoken" in stranger


def test_the_animal_page_shows_the_state_without_javascript(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 60
    animal = AnimalFactory(name="Pip")
    url = animal.get_absolute_url()
    before = client.get(url).content.decode()
    assert 'aria-pressed="false" aria-label="Save Pip to favourites"' in before
    client.post(TOGGLE, {"animal": animal.pk})
    after = client.get(url).content.decode()  # the page's summary from the cache, the heart fresh
    assert 'aria-pressed="true" aria-label="Save Pip to favourites"' in after
    assert '<input type="hidden" name="saved" value="0">' in after
