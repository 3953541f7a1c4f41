"""Issue 21 in a real browser: a guest's favourite joins their account at log-in; an alert on "female rabbits" is
confirmed from its e-mail, staff publish a matching rabbit, the digest arrives and its unsubscribe link works."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from alerts.models import Alert
from alerts.services import alert_digests_send
from animals.models import Animal
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory
from e2e.test_accessibility import audit

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRM_LINK = re.compile(r"https?://\S+/alerts/confirm/[\w:.-]+/")
UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/alerts/unsubscribe/[\w:.-]+/")
RUN_ACTION = re.compile("^(Run|Go)$")


def log_in(page, url, email):
    page.goto(url)
    page.get_by_label(re.compile("mail", re.IGNORECASE)).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_favourite_kept_at_log_in_and_an_alert_from_confirmation_to_unsubscribe(
    live_server, browser, page, shop, settings
):
    settings.SITE_URL = live_server.url
    customer = UserFactory(email="robin@example.com")
    rabbits = SpeciesFactory(name="Rabbit", slug="rabbits", plural="Rabbits", display_order=3)
    lop = BreedFactory(species=rabbits, name="Mini Lop", slug="mini-lop")
    snowy = AnimalFactory(
        name="Snowy",
        slug="snowy",
        species=rabbits,
        breed=lop,
        sex=Animal.Sex.FEMALE,
        price=Decimal("85.00"),
        date_of_birth=date.today() - timedelta(days=70),
        is_published=False,
    )
    AnimalPhotoFactory(animal=snowy, alt_text="Snowy, a white mini lop")

    # A guest saves Bella with the heart on her card (in place, with the page's script), then logs in.
    page.goto(f"{live_server.url}{reverse('animals:species', args=['dogs'])}")
    heart = page.get_by_role("region", name="Results").get_by_role("button", name="Save Bella to favourites")
    expect(heart).to_have_attribute("aria-pressed", "false")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart).to_have_text("♥")
    page.reload()  # the cards come from the shared page cache; the state from this visitor's own list
    expect(heart).to_have_attribute("aria-pressed", "true")
    log_in(page, f"{live_server.url}{reverse('accounts:login')}", customer.email)
    page.get_by_role("link", name="Favourites").click()
    expect(page.get_by_role("heading", level=2, name="Bella")).to_be_visible()
    expect(page.get_by_text("Available", exact=True)).to_be_visible()

    # An alert on female rabbits, the address filled in for the customer; confirmed from the e-mail.
    page.goto(f"{live_server.url}{reverse('animals:species', args=['rabbits'])}")
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_role("button", name="Show animals").click()
    page.get_by_role("link", name="Tell me when a new one arrives").click()
    expect(page.get_by_text("Your selection: Rabbit · Female")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("robin@example.com")
    page.get_by_role("button", name="E-mail me").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["robin@example.com"]
    page.goto(CONFIRM_LINK.search(confirmation.body).group(0))
    page.get_by_role("button", name="Confirm my alert").click()
    expect(page.get_by_text(re.compile("Your alert is on"))).to_be_visible()

    # Staff publish Snowy from the admin (in their own browser).
    staff_context = browser.new_context()
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(10_000)
    log_in(staff_page, f"{live_server.url}/admin/", StaffFactory().email)
    staff_page.goto(f"{live_server.url}{reverse('admin:animals_animal_changelist')}")
    staff_page.get_by_role("row", name=re.compile("Snowy")).get_by_role("checkbox").check()
    staff_page.get_by_role("combobox", name=re.compile("^Action")).select_option(label="Publish the selected animals")
    staff_page.get_by_role("button", name=RUN_ACTION).click()
    expect(staff_page.get_by_text("1 animal(s) published.")).to_be_visible()
    staff_context.close()

    # The digest job (beat's), then the e-mail: Snowy with photo, price and link, and an unsubscribe link.
    assert alert_digests_send() == 1
    digest = mail.outbox[-1]
    assert digest.to == ["robin@example.com"] and "Snowy" in digest.subject + digest.body
    html = digest.alternatives[0].content
    assert "$85.00" in html and "Snowy, a white mini lop" in html
    assert f"{live_server.url}{snowy.get_absolute_url()}" in html
    unsubscribe = UNSUBSCRIBE_LINK.search(digest.body).group(0)
    assert str(digest.extra_headers["List-Unsubscribe"]) == f"<{unsubscribe}>"

    page.goto(f"{live_server.url}{snowy.get_absolute_url()}")  # the link of the e-mail works
    expect(page.get_by_role("heading", level=1, name="Snowy")).to_be_visible()

    # Unsubscribing needs no log-in.
    stranger = browser.new_context().new_page()
    stranger.goto(unsubscribe)
    stranger.get_by_role("button", name="Unsubscribe").click()
    expect(stranger.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert not Alert.objects.exists()


def test_the_favourites_and_alert_pages_have_no_serious_accessibility_problems(live_server, page, shop):
    axe = Axe()
    found = {}
    page.goto(f"{live_server.url}{shop['bella'].get_absolute_url()}")
    page.get_by_role("button", name="Save Bella to favourites").click()
    expect(page.get_by_role("button", name="Save Bella to favourites")).to_have_attribute("aria-pressed", "true")
    found["animal page, saved"] = audit(page, axe)
    page.goto(f"{live_server.url}{reverse('favourites:list')}")
    expect(page.get_by_role("heading", level=2, name="Bella")).to_be_visible()
    found["favourites"] = audit(page, axe)
    page.goto(f"{live_server.url}{reverse('alerts:create')}?species=dogs&sex=female")
    found["alert form"] = audit(page, axe)
    page.get_by_role("button", name="E-mail me").click()
    expect(page.get_by_text("Enter an email address.").or_(page.get_by_text("This field is required."))).to_be_visible()
    found["alert form with an error"] = audit(page, axe)
    assert {name: problems for name, problems in found.items() if problems} == {}
