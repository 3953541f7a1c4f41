"""The catalogue search in a real browser: a young-animal word, prices as the shop writes them, and the help of
an empty result (a close spelling, then clearing the filters)."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect


def test_a_customer_finds_puppies_by_the_word_and_recovers_from_a_typo(live_server, page, shop):
    from animals.models import Animal, Species

    Species.objects.filter(slug="dogs").update(young_word="puppy", young_word_plural="puppies")
    Animal.objects.filter(pk=shop["max"].pk).update(date_of_birth=date.today() - timedelta(days=3 * 365))
    page.goto(f"{live_server.url}/animals/")
    results = page.get_by_role("region", name="Results")

    page.get_by_label("Search").fill("puppies")
    page.get_by_role("button", name="Show animals").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("^3 animals found"))
    expect(results.get_by_role("link", name="Bella")).to_be_visible()
    expect(results.get_by_role("link", name="Max")).to_have_count(0)  # three years old
    expect(results.get_by_role("link", name="Tom")).to_have_count(0)  # a cat
    expect(results.get_by_text("$450.00")).to_be_visible()
    expect(page.get_by_label("Sort")).to_have_value("relevance")  # "Best match" with a search

    page.get_by_label("Search").fill("labradr")
    page.get_by_label("Species").select_option(label="Cat")
    page.get_by_role("button", name="Show animals").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("^0 animals found"))
    page.get_by_role("link", name="labrador").click()
    expect(page.get_by_label("Search")).to_have_value("labrador")
    page.get_by_role("link", name=re.compile("Remove “Species: Cat”")).click()
    expect(results.get_by_role("link", name="Daisy")).to_be_visible()
    expect(results.get_by_role("link", name="Max")).to_be_visible()

    page.get_by_label("Search").fill("zebra")
    page.get_by_role("button", name="Show animals").click()
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("^5 animals found"))
