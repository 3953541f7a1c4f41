import pytest

from animals.tests.factories import AnimalFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_species_and_published_animals(client):
    shown = AnimalFactory()
    hidden = AnimalFactory(is_published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert shown.get_absolute_url() in response.text
    assert shown.species.get_absolute_url() in response.text
    assert hidden.get_absolute_url() not in response.text


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
