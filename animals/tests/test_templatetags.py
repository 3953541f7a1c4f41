from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template

HOSTILE = '"><script>x</script>'


def render_cards(**values):
    card = SimpleNamespace(
        image="/media/a.jpg", alt_text="A", url="/animals/dogs/a/", name="A", facts="Dog", price=Decimal("5.00")
    )
    card.status = "available"
    vars(card).update(values)
    template = Template("{% load catalogue %}{% animal_cards cards currency %}")
    return template.render(Context({"cards": [card], "currency": "EUR"}))


def test_a_card_shows_its_values_and_status_badge():
    html = render_cards(status="reserved")
    assert 'src="/media/a.jpg"' in html and 'href="/animals/dogs/a/"' in html
    assert '<span class="fw-semibold">5.00 EUR</span>' in html
    assert '<span class="badge text-bg-warning">Reserved</span>' in html


def test_every_value_of_a_card_is_escaped():
    for field in ("image", "alt_text", "url", "name", "facts", "price"):
        html = render_cards(**{field: HOSTILE})
        assert "<script>" not in html, field
        assert "&quot;&gt;&lt;script&gt;x&lt;/script&gt;" in html, field


def test_the_currency_is_escaped():
    html = Template("{% load catalogue %}{% animal_cards cards currency %}").render(
        Context(
            {
                "cards": [SimpleNamespace(image="", alt_text="", url="", name="", facts="", price=1, status="sold")],
                "currency": "<b>",
            }
        )
    )
    assert "1 &lt;b&gt;" in html and "<b>" not in html
