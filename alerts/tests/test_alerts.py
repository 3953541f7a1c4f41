"""Alerts: asking (limits, flood limits, nothing revealed), double opt-in, matching on publish, the daily digest,
unsubscribing, a customer's alerts, the clean-up of unconfirmed ones."""

import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.admin.sites import site
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory, UserFactory
from alerts import services, tokens
from alerts.models import Alert, AlertMatch
from animals.models import Animal
from animals.services import animals_set_published
from animals.tests.factories import AnimalFactory
from notifications.models import Notification
from petshop.celery import app
from petshop.tests.threads import run_together

pytestmark = pytest.mark.django_db
CREATE = reverse("alerts:create")
CONFIRM_LINK = re.compile(r"https?://\S+/alerts/confirm/[\w:.-]+/")
UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/alerts/unsubscribe/[\w:.-]+/")


def publish(animal, capture):
    with capture(execute=True):
        animals_set_published(animals=Animal.objects.filter(pk=animal.pk), published=True)


def unpublish(animal):
    animals_set_published(animals=Animal.objects.filter(pk=animal.pk), published=False)


def digests(kind="alert-digest"):
    return list(Notification.objects.filter(kind=kind).order_by("pk"))


# Asking


def test_a_catalogue_page_offers_an_alert_on_its_selection(client, rabbits):
    html = client.get(reverse("animals:species", args=["rabbits"]), {"sex": "female", "sort": "oldest"}).content
    link = re.search(rb'href="(/alerts/new/\?[^"]+)">Tell me when a new one arrives', html).group(1).decode()
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.context["description"] == "Rabbit · Female"
    assert response.context["form"]["query"].value() == "species=rabbits&sex=female"  # no sort order


def test_asking_makes_an_unconfirmed_alert_and_sends_only_the_confirmation(client, rabbits):
    response = client.post(
        CREATE, {"email": " Ann@Example.com ", "query": "species=rabbits&sex=female&junk=1&age=bogus&sort=oldest"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("alerts:requested")
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.confirmed_at) == ("ann@example.com", "species=rabbits&sex=female", None)
    [notification] = Notification.objects.all()
    assert notification.kind == "alert-confirmation" and notification.to == "ann@example.com"
    assert "Rabbit · Female" in notification.body_text
    assert CONFIRM_LINK.search(notification.body_text)


def test_the_e_mail_is_prefilled_for_a_customer(client, rabbits):
    user = UserFactory(email="cust@example.com")
    client.force_login(user)
    assert client.get(CREATE, {"species": "rabbits"}).context["form"]["email"].value() == "cust@example.com"


def test_a_bad_address_gets_a_clear_message_and_changes_nothing(client, rabbits):
    response = client.post(CREATE, {"email": "not an address", "query": "species=rabbits"})
    assert response.status_code == 200 and "Enter a valid email address." in response.content.decode()
    assert not Alert.objects.exists() and not Notification.objects.exists()


def test_at_most_ten_alerts_per_address_and_a_guest_learns_nothing_from_it(client, rabbits, confirmed_alert):
    for price in range(10):
        confirmed_alert(email="full@example.com", query=f"price_max={price + 1}")
    ok = client.post(CREATE, {"email": "other@example.com", "query": "species=rabbits"})
    full = client.post(CREATE, {"email": "full@example.com", "query": "species=rabbits"})
    assert full.status_code == ok.status_code == 302 and full["Location"] == ok["Location"]
    assert Alert.objects.for_email("full@example.com").count() == 10
    assert not Notification.objects.filter(to="full@example.com").exists()


def test_a_customer_at_the_limit_is_told_so(client, rabbits, confirmed_alert):
    user = UserFactory(email="full@example.com")
    for price in range(10):
        confirmed_alert(email="full@example.com", query=f"price_max={price + 1}")
    client.force_login(user)
    response = client.post(CREATE, {"email": "full@example.com", "query": "species=rabbits"})
    assert response.status_code == 200 and "You have 10 alerts already" in response.content.decode()


def test_the_sign_up_flood_limits_apply_and_the_answer_is_the_same(client, rabbits, settings):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 2
    answers = {
        client.post(CREATE, {"email": "a@example.com", "query": f"price_max={n + 1}"})["Location"] for n in range(4)
    }
    assert answers == {reverse("alerts:requested")}
    assert Notification.objects.filter(to="a@example.com").count() == 2
    assert Alert.objects.count() == 2


def test_asking_again_for_a_confirmed_alert_sends_nothing(client, rabbits, confirmed_alert):
    confirmed_alert(email="ann@example.com", query="species=rabbits&sex=female")
    client.post(CREATE, {"email": "ann@example.com", "query": "sex=female&species=rabbits"})
    assert Alert.objects.count() == 1 and not Notification.objects.exists()


# Double opt-in


def test_the_link_confirms_on_a_button_not_on_a_get(client, rabbits):
    client.post(CREATE, {"email": "ann@example.com", "query": "species=rabbits"})
    link = CONFIRM_LINK.search(Notification.objects.get().body_text).group(0)
    assert Client().get(link).status_code == 200
    assert Alert.objects.get().confirmed_at is None
    response = Client().post(link, follow=True)
    assert "Your alert is on" in response.content.decode()
    assert Alert.objects.get().confirmed_at is not None


def test_a_forged_or_expired_link_confirms_nothing(client, rabbits, monkeypatch):
    alert = Alert.objects.create(email="ann@example.com", query="", description="Any animal")
    response = client.post(reverse("alerts:confirm", args=["forged"]), follow=True)
    assert "expired or is not valid" in response.content.decode()
    monkeypatch.setattr(tokens, "CONFIRMATION_DAYS", -1)
    client.post(reverse("alerts:confirm", args=[tokens.confirm_token(alert.pk)]))
    alert.refresh_from_db()
    assert alert.confirmed_at is None


def test_an_unconfirmed_alert_gets_no_match_and_no_e_mail(rabbits, new_rabbit, django_capture_on_commit_callbacks):
    Alert.objects.create(email="ann@example.com", query="species=rabbits", description="Rabbit")
    publish(new_rabbit(), django_capture_on_commit_callbacks)
    assert services.alert_digests_send() == 0
    assert not AlertMatch.objects.exists() and not digests()


def test_unconfirmed_alerts_are_deleted_after_seven_days(rabbits, confirmed_alert):
    old = Alert.objects.create(email="old@example.com", query="", description="Any animal")
    Alert.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=7, minutes=1))
    recent = Alert.objects.create(email="new@example.com", query="", description="Any animal")
    kept = confirmed_alert()
    Alert.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert services.alerts_delete_unconfirmed() == 1
    assert set(Alert.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}


def test_the_jobs_are_in_the_beat_schedule():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"alerts.tasks.send_alert_digests", "alerts.tasks.delete_unconfirmed_alerts"} <= tasks


# Matching and the digest


def test_publishing_a_matching_animal_sends_one_digest_with_photo_name_price_link_and_unsubscribe(
    rabbits, dogs, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    alert = confirmed_alert()
    clover = new_rabbit("Clover")
    buck = new_rabbit("Buck", sex=Animal.Sex.MALE)
    dog = AnimalFactory(species=dogs, sex=Animal.Sex.FEMALE, is_published=False)
    with django_capture_on_commit_callbacks(execute=True):
        animals_set_published(animals=Animal.objects.filter(pk__in=[clover.pk, buck.pk, dog.pk]), published=True)
    assert list(AlertMatch.objects.values_list("animal_id", flat=True)) == [clover.pk]
    assert services.alert_digests_send() == 1
    [digest] = digests()
    assert digest.to == alert.email and digest.subject == "1 new animal for your alert: Rabbit · Female"
    assert "Clover" in digest.body_html and "$1,450.00" in digest.body_html and "Buck" not in digest.body_html
    assert f"{django_settings.SITE_URL.rstrip('/')}{clover.get_absolute_url()}" in digest.body_html
    assert re.search(r'<img src="http[^"]+/media/animals/thumbs/[^"]+" alt="Clover in the hay"', digest.body_html)
    link = UNSUBSCRIBE_LINK.search(digest.body_text).group(0)
    assert digest.headers == {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def test_staff_publishing_from_the_admin_matches(
    client, rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    confirmed_alert()
    first, second = new_rabbit("First"), new_rabbit("Second")
    client.force_login(StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:animals_animal_changelist"), {"action": "publish", "_selected_action": [first.pk]})
    # A save of the change form that ticks "published" (save_model, as the admin calls it).
    second.is_published = True
    request = SimpleNamespace(user=StaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        site._registry[Animal].save_model(request, second, SimpleNamespace(changed_data=["is_published"]), True)
    assert set(AlertMatch.objects.values_list("animal_id", flat=True)) == {first.pk, second.pk}


def test_an_edit_that_does_not_publish_matches_nothing(
    rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    confirmed_alert()
    animal = new_rabbit()
    animal.is_published = True
    with django_capture_on_commit_callbacks(execute=True):
        site._registry[Animal].save_model(
            SimpleNamespace(user=None), animal, SimpleNamespace(changed_data=["price"]), True
        )
    assert not AlertMatch.objects.exists()


def test_the_job_run_twice_sends_one_e_mail(rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks):
    confirmed_alert()
    publish(new_rabbit(), django_capture_on_commit_callbacks)
    assert services.alert_digests_send() == 1
    assert services.alert_digests_send() == 0
    assert len(digests()) == 1


def test_at_most_one_e_mail_a_day_then_the_next_lists_every_match_since(
    rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    confirmed_alert()
    today = timezone.localdate()
    publish(new_rabbit("One"), django_capture_on_commit_callbacks)
    services.alert_digests_send(today=today)
    publish(new_rabbit("Two"), django_capture_on_commit_callbacks)
    publish(new_rabbit("Three"), django_capture_on_commit_callbacks)
    assert services.alert_digests_send(today=today) == 0
    assert services.alert_digests_send(today=today + timedelta(days=1)) == 1
    first, second = digests()
    assert "One" in first.body_text and "Two" not in first.body_text
    assert "Two" in second.body_text and "Three" in second.body_text and "One" not in second.body_text
    assert second.dedupe_key.endswith(f":{(today + timedelta(days=1)).isoformat()}")


def test_published_unpublished_and_published_again_is_one_e_mail(
    rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    confirmed_alert()
    animal = new_rabbit()
    publish(animal, django_capture_on_commit_callbacks)
    unpublish(animal)
    publish(animal, django_capture_on_commit_callbacks)
    assert AlertMatch.objects.count() == 1
    services.alert_digests_send()
    unpublish(animal)
    publish(animal, django_capture_on_commit_callbacks)
    services.alert_digests_send(today=timezone.localdate() + timedelta(days=1))
    assert len(digests()) == 1


def test_an_animal_unpublished_before_the_digest_is_never_revealed(
    rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    confirmed_alert()
    shown, hidden = new_rabbit("Shown"), new_rabbit("Hidden")
    publish(shown, django_capture_on_commit_callbacks)
    publish(hidden, django_capture_on_commit_callbacks)
    unpublish(hidden)
    services.alert_digests_send()
    [digest] = digests()
    assert "Shown" in digest.body_text and "Hidden" not in digest.body_text + digest.body_html + digest.subject


def test_alone_an_unpublished_match_sends_nothing(
    rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    confirmed_alert()
    animal = new_rabbit()
    publish(animal, django_capture_on_commit_callbacks)
    unpublish(animal)
    assert services.alert_digests_send() == 0 and not digests()


def test_matching_uses_the_catalogue_filters_search_and_price(
    rabbits, new_rabbit, confirmed_alert, django_capture_on_commit_callbacks
):
    confirmed_alert(email="search@example.com", query="q=fluffy&price_max=2000")
    confirmed_alert(email="cheap@example.com", query="species=rabbits&price_max=100")
    animal = new_rabbit("Fluffy")
    publish(animal, django_capture_on_commit_callbacks)
    assert list(AlertMatch.objects.values_list("alert__email", flat=True)) == ["search@example.com"]


def test_matching_twice_records_each_match_once(rabbits, new_rabbit, confirmed_alert):
    confirmed_alert()
    animal = new_rabbit()
    Animal.objects.filter(pk=animal.pk).update(is_published=True)
    assert services.alerts_match(animal_ids=[animal.pk]) == 1
    assert services.alerts_match(animal_ids=[animal.pk]) == 0
    assert AlertMatch.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_jobs_at_once_send_one_e_mail_per_alert(require_postgres, rabbits, new_rabbit, confirmed_alert):
    alerts = [confirmed_alert(email=f"w{n}@example.com") for n in range(5)]
    animal = new_rabbit()
    Animal.objects.filter(pk=animal.pk).update(is_published=True)
    services.alerts_match(animal_ids=[animal.pk])
    run_together(2, lambda index: services.alert_digests_send())
    assert sorted(n.to for n in digests()) == sorted(a.email for a in alerts)


# Unsubscribing and the account


def test_the_unsubscribe_link_works_logged_out_in_one_click(rabbits, confirmed_alert):
    alert = confirmed_alert()
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(alert.pk)])
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(url).status_code == 200 and Alert.objects.exists()  # a GET asks first
    response = browser.post(url, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not Alert.objects.exists()
    assert browser.post(url).status_code == 200  # again: harmless


def test_the_unsubscribe_link_is_the_same_in_every_e_mail_of_an_alert(rabbits, confirmed_alert, monkeypatch):
    """The header is written when the digest is queued, the body when it is sent: the link must not change."""
    alert = confirmed_alert()
    queued = tokens.unsubscribe_token(alert.pk)
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert tokens.unsubscribe_token(alert.pk) == queued
    assert tokens.unsubscribe_alert_id(queued) == alert.pk


def test_an_unsubscribe_link_sent_before_links_carried_no_time_still_works(rabbits, confirmed_alert):
    alert = confirmed_alert()
    older = signing.dumps(alert.pk, salt=tokens.TIMED_UNSUBSCRIBE_SALT)  # as links were signed until 2026-12-03
    response = Client().post(reverse("alerts:unsubscribe", args=[older]))
    assert response.status_code == 200 and not Alert.objects.exists()


def test_a_forged_unsubscribe_link_deletes_nothing(rabbits, confirmed_alert):
    alert = confirmed_alert()
    forged = [
        tokens.confirm_token(alert.pk),  # signed, but for another purpose
        signing.Signer(salt=tokens.TIMED_UNSUBSCRIBE_SALT).sign_object(alert.pk),  # the old salt, no time
        signing.dumps(alert.pk, salt=tokens.UNSUBSCRIBE_SALT),  # the new salt, with a time
        "MQ:nonsense",
    ]
    for token in forged:
        response = Client().post(reverse("alerts:unsubscribe", args=[token]))
        assert response.status_code == 400 and Alert.objects.exists(), token


def test_a_customer_sees_and_deletes_only_their_alerts(client, rabbits, confirmed_alert):
    user = UserFactory(email="mine@example.com")
    mine = confirmed_alert(email="mine@example.com")
    theirs = confirmed_alert(email="theirs@example.com")
    client.force_login(user)
    page = client.get(reverse("alerts:mine"))
    assert list(page.context["alerts"]) == [mine]
    assert "theirs@example.com" not in page.content.decode()
    response = client.post(reverse("alerts:delete", args=[theirs.pk]), follow=True)
    assert "does not exist" in response.content.decode()
    client.post(reverse("alerts:delete", args=[mine.pk]))
    assert list(Alert.objects.all()) == [theirs]


def test_the_account_pages_need_a_log_in(client):
    assert reverse("accounts:login") in client.get(reverse("alerts:mine"))["Location"]
