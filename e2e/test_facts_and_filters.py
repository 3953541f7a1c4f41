"""Issue 18 in a browser: narrowing the catalogue by the facts that fit a family, the facts and the care guide on
the animal page, the breed filter following the species at once, and the filters behind one button on a phone."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from animals.models import Animal, Species
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory

PHONE = {"width": 390, "height": 844}
# Screenshots to look at as a customer would (not compared): SCREENSHOTS_DIR, else the test's tmp folder.
SHOTS = os.environ.get("SCREENSHOTS_DIR")


@pytest.fixture
def family_shop(shop):
    """The shop's dogs and cat, with facts: Bella is good with children, Max is not."""
    dogs = shop["bella"].species
    dogs.care_guide_young = "Puppies need four small meals a day."
    dogs.care_guide = "Adult dogs need two meals a day."
    dogs.save()
    Animal.objects.filter(pk=shop["bella"].pk).update(
        good_with_children=Animal.Answer.YES, house_trained=True, adult_size=Animal.Size.MEDIUM
    )
    Animal.objects.filter(pk=shop["max"].pk).update(good_with_children=Animal.Answer.NO)
    Animal.objects.filter(pk=shop["daisy"].pk).update(date_of_birth=date.today() - timedelta(days=3 * 365))
    for n in range(6):  # enough cards for two rows on a phone
        pup = AnimalFactory(name=f"Pup {n}", breed=BreedFactory(species=dogs), good_with_children=Animal.Answer.YES)
        AnimalPhotoFactory(animal=pup)
    return shop


def shot(page, tmp_path, name):
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_a_family_narrows_by_good_with_children_and_reads_the_facts(
    live_server, page, family_shop, console_errors, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/animals/")
    # The breed filter follows the species at once (static/animals/catalogue-filters.js).
    page.get_by_label("Species").select_option(label="Cat")
    breeds = page.get_by_label("Breed").locator("option")
    expect(breeds).to_have_text(["Any breed", "Siamese"])
    page.get_by_label("Species").select_option(label="Dog")
    expect(page.get_by_label("Breed").locator("option", has_text="Siamese")).to_have_count(0)
    expect(page.get_by_label("Breed").locator("option", has_text="Beagle")).to_have_count(1)

    page.get_by_label("Good with children").check()
    page.get_by_role("button", name="Show animals").click()
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("link", name="Bella")).to_be_visible()
    expect(results.get_by_role("link", name="Max")).to_have_count(0)
    expect(results.get_by_role("link", name="Daisy")).to_have_count(0)  # not known is not a yes
    expect(page.get_by_label("Good with children")).to_be_checked()
    shot(page, tmp_path, "catalogue-desktop")

    results.get_by_role("link", name="Bella").click()
    facts = page.get_by_role("table", name="Facts about Bella")
    expect(facts.get_by_role("row", name="Good with children Yes")).to_be_visible()
    expect(facts.get_by_role("row", name="House-trained Yes")).to_be_visible()
    expect(facts.get_by_role("row", name="Adult size Medium")).to_be_visible()
    expect(page.get_by_role("heading", name="Caring for a young dog")).to_be_visible()
    expect(page.get_by_text("Puppies need four small meals a day.")).to_be_visible()
    shot(page, tmp_path, "animal-desktop")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(live_server.url + family_shop["bella"].get_absolute_url())
    expect(page.get_by_role("status").filter(has_text="In your cart")).to_be_visible()
    page.get_by_role("link", name="Go to your cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    assert [error for error in console_errors if "404" not in error] == []


def test_on_a_phone_the_filters_open_from_one_button(live_server, browser, family_shop, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/animals/")
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="Cart")).to_be_visible()  # not behind the menu toggle
    show = page.get_by_role("button", name="Show animals")
    expect(show).to_be_hidden()
    cards = page.locator(".animal-card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"]  # two cards to a row
    shot(page, tmp_path, "catalogue-phone")

    page.get_by_role("button", name="Filters").click()
    filters = page.get_by_role("dialog", name="Filter")
    expect(filters).to_be_visible()
    expect(page.locator("#filters.show:not(.showing)")).to_have_count(1)  # slid in
    page.wait_for_timeout(400)  # Bootstrap's transition, for the picture only
    page.screenshot(path=str((Path(SHOTS) if SHOTS else tmp_path) / "catalogue-phone-filters.png"))
    filters.get_by_label("Good with children").check()
    filters.get_by_role("button", name="Show animals").click()
    expect(page.get_by_role("button", name="Filters (1)")).to_be_visible()
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("link", name="Bella")).to_be_visible()
    expect(results.get_by_role("link", name="Max")).to_have_count(0)
    results.get_by_role("link", name="Bella").click()
    expect(page.get_by_role("table", name="Facts about Bella")).to_be_visible()
    shot(page, tmp_path, "animal-phone")
    context.close()


def test_staff_see_only_the_breeds_of_the_chosen_species_in_the_admin(live_server, page, family_shop, console_errors):
    import re

    from accounts.tests.factories import PASSWORD, StaffFactory

    staff = StaffFactory(is_superuser=True)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label(re.compile("mail", re.IGNORECASE)).fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/animals/animal/add/")
    breed = page.get_by_label("Breed:")
    page.get_by_label("Species:").select_option(label="Cat")
    expect(breed.locator("optgroup:not([hidden]) option")).to_have_text(["Siamese"])
    page.get_by_label("Species:").select_option(label="Dog")
    expect(breed.locator("optgroup:not([hidden])")).to_have_attribute("label", "Dog")
    expect(breed.locator("optgroup:not([hidden]) option", has_text="Siamese")).to_have_count(0)
    breed.select_option(label="Beagle")
    page.get_by_label("Species:").select_option(label="Cat")
    expect(breed).to_have_value("")  # a dog breed no longer stands once the species is a cat
    # The facts that do not apply to the chosen species hide at once.
    Species.objects.filter(slug="cats").update(facts=["adult_size", "coat_length"])
    page.reload()
    page.get_by_label("Species:").select_option(label="Cat")
    expect(page.get_by_label("Vaccinated")).to_be_hidden()
    expect(page.get_by_label("Coat length:")).to_be_visible()
    page.get_by_label("Species:").select_option(label="Dog")
    expect(page.get_by_label("Vaccinated")).to_be_visible()
    assert [error for error in console_errors if "404" not in error] == []
