"""The handover pack (PDF): what it holds, who may download it and when, and the files WeasyPrint may read."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import StaffFactory, UserFactory
from animals.models import Animal, Species, Vaccination
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory
from orders import handover
from orders.handover import Care, HandoverPackUnavailable, handover_pack_context, handover_pack_pdf
from orders.models import Order
from orders.tests.factories import OrderFactory, OrderItemFactory
from payments.models import Payment
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db

CHIP = "985141000123456"
CARE_GUIDE = "Feed a puppy four small meals a day.\n\nWalk five minutes per month of age, twice a day."


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def make_order(status=Order.Status.PAID, user=None):
    """An order for Bella (chipped, two vaccinations, a photo) and three neon tetras, paid by card."""
    today = timezone.localdate()
    dog = SpeciesFactory(name="Dog", slug="dog", care_guide=CARE_GUIDE)
    bella = AnimalFactory(
        name="Bella", breed=BreedFactory(species=dog, name="Beagle"), microchipped=True, microchip_number=CHIP
    )
    AnimalPhotoFactory(animal=bella)
    Vaccination.objects.create(
        animal=bella, name="DHPP first dose", given_on=today - timedelta(days=30), next_due=today + timedelta(days=5)
    )
    Vaccination.objects.create(animal=bella, name="Leptospirosis", given_on=today - timedelta(days=10))
    fish = SpeciesFactory(name="Fish", slug="fish", care_guide="Keep the water at 24 degrees.")
    tetras = AnimalFactory(name="Neon tetras", breed=None, species=fish, sex=Animal.Sex.UNKNOWN, stock=10)
    paid = status != Order.Status.PENDING_PAYMENT
    order = OrderFactory(status=status, user=user, full_name="Jo Collector", paid_at=timezone.now() if paid else None)
    OrderItemFactory(order=order, animal=bella, unit_price=Decimal("1350.00"))
    OrderItemFactory(order=order, animal=tetras, quantity=3, unit_price=Decimal("4.50"))
    order.total = Decimal("1363.50")
    order.save(update_fields=["total"])
    if paid:
        PaymentFactory(order=order, provider=Payment.Provider.STRIPE, status=Payment.Status.PAID, paid_at=order.paid_at)
    return order


@pytest.fixture
def order():
    return make_order()


# What the pack holds


def test_the_pack_holds_the_receipt_and_a_care_sheet_per_animal(order, settings):
    settings.SHOP_NAME = "Happy Paws"
    settings.SHOP_ADDRESS = "12 Kennel Lane, Springfield"
    reader = PdfReader(BytesIO(handover_pack_pdf(order)))
    receipt, bella, tetras = (page.extract_text() for page in reader.pages)

    for text in ["Happy Paws", "12 Kennel Lane, Springfield", order.reference, "Jo Collector", order.email]:
        assert text in receipt
    assert "$1,350.00" in receipt and "$13.50" in receipt and "$1,363.50" in receipt
    assert "Card, through Stripe" in receipt
    assert f"{timezone.localtime(order.paid_at):%-d %B %Y}" in receipt
    assert "Buyer: Jo Collector" in receipt and "Staff of Happy Paws" in receipt

    assert "Care sheet · Bella" in bella
    for text in ["Dog", "Beagle", "Female", CHIP, "DHPP first dose", "Leptospirosis", "Walk five minutes per month"]:
        assert text in bella
    today = timezone.localdate()
    assert f"{today - timedelta(days=30):%-d %B %Y}" in bella and f"{today + timedelta(days=5):%-d %B %Y}" in bella
    assert (
        "Care sheet · Neon tetras" in tetras and "Not microchipped" in tetras and "No vaccinations recorded" in tetras
    )
    assert "3 animals of this listing" in tetras and "Keep the water at 24 degrees." in tetras


def test_the_care_sheet_shows_the_animals_photo_read_from_media(order):
    bella_page = PdfReader(BytesIO(handover_pack_pdf(order))).pages[1]
    assert len(bella_page.images) == 1


def test_the_care_text_and_facts_come_from_care_for(order, monkeypatch):
    def care_for(animal):
        return Care(guide=f"Life-stage guide for {animal.name}.", facts=[f"{animal.species.name}s need company."])

    monkeypatch.setattr(handover, "care_for", care_for)
    text = pdf_text(handover_pack_pdf(order))
    assert "Life-stage guide for Bella." in text and "Dogs need company." in text and "Good to know" in text
    assert "Walk five minutes" not in text


def test_a_refunded_line_is_marked_on_the_receipt_and_gets_no_care_sheet(order):
    order.items.filter(animal_name="Neon tetras").update(is_refunded=True)
    reader = PdfReader(BytesIO(handover_pack_pdf(order)))
    assert len(reader.pages) == 2
    assert "Neon tetras (refunded)" in reader.pages[0].extract_text()


def test_an_unpaid_order_has_no_pack():
    order = make_order(status=Order.Status.PENDING_PAYMENT)
    with pytest.raises(HandoverPackUnavailable, match="ready once the order is paid"):
        handover_pack_pdf(order)


@pytest.mark.parametrize("status", [Order.Status.CANCELLED, Order.Status.REFUNDED, Order.Status.EXPIRED])
def test_an_order_that_no_longer_stands_has_no_pack(order, status):
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    with pytest.raises(HandoverPackUnavailable):
        handover_pack_pdf(order)


def test_the_pack_is_read_in_a_few_queries_whatever_the_number_of_animals(order, django_assert_num_queries):
    for _ in range(3):
        animal = AnimalFactory(microchipped=True)
        AnimalPhotoFactory(animal=animal)
        Vaccination.objects.create(animal=animal, name="Rabies", given_on=timezone.localdate())
        OrderItemFactory(order=order, animal=animal)
    with django_assert_num_queries(4):
        context = handover_pack_context(order)
    assert len(context["sheets"]) == 5


# The files WeasyPrint may read


def test_the_fetcher_reads_the_shops_media_and_static_files_only(settings, tmp_path):
    from orders.pdf import ShopFilesFetcher

    photo = AnimalPhotoFactory()
    fetcher = ShopFilesFetcher(base_url="http://shop.test/")
    assert fetcher.fetch(f"http://shop.test/media/{photo.display.name}").read()[:2] == b"\xff\xd8"  # a JPEG
    assert fetcher.fetch("http://shop.test/static/animals/no-photo.svg").read().startswith(b"<svg")
    (tmp_path / "secret.txt").write_text("secret")
    for url in [
        "http://example.com/tracker.png",
        "https://shop.test/media/x.jpg",  # another origin than the site's
        f"file://{tmp_path / 'secret.txt'}",
        "http://shop.test/media/../../etc/passwd",
        "http://shop.test/static/../pyproject.toml",
        "data:text/plain,hello",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# Who may download it, and when

CUSTOMER = "orders:handover_pack"


def customer_url(order, token=None):
    url = reverse(CUSTOMER, kwargs={"reference": order.reference})
    return f"{url}?token={token}" if token else url


def admin_url(order):
    return reverse("admin:orders_order_handover_pack", args=[order.pk])


def assert_is_the_pack(response, order):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="handover-pack-{order.reference}.pdf"' in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert CHIP in pdf_text(b"".join(response.streaming_content))


def test_staff_download_the_pack_from_the_admin(client, order):
    client.force_login(StaffFactory())
    assert_is_the_pack(client.get(admin_url(order)), order)


def test_staff_who_may_only_view_orders_download_it_too(client, order):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    assert_is_the_pack(client.get(admin_url(order)), order)


def test_staff_without_the_view_permission_are_refused(client, order):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(admin_url(order)).status_code == 403


def test_visitors_are_sent_to_the_admin_log_in(client, order):
    response = client.get(admin_url(order))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_get_a_clear_page_for_an_unpaid_order(client):
    order = make_order(status=Order.Status.PENDING_PAYMENT)
    client.force_login(StaffFactory())
    response = client.get(admin_url(order))
    assert response.status_code == 403
    assert f"Order {order.reference} has no handover pack" in response.text
    assert "once the order is paid, and this order is pending payment" in response.text


def test_the_owner_downloads_the_pack(client):
    owner = UserFactory()
    order = make_order(user=owner)
    client.force_login(owner)
    assert_is_the_pack(client.get(customer_url(order)), order)


def test_a_guest_downloads_it_with_the_orders_link_token(client, order):
    assert_is_the_pack(client.get(customer_url(order, token=order.access_token)), order)


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_another_visitor_gets_a_404(client, order, token):
    client.force_login(UserFactory())
    assert client.get(customer_url(order, token=token)).status_code == 404


def test_the_customer_gets_a_clear_page_before_the_order_is_paid(client):
    owner = UserFactory()
    order = make_order(status=Order.Status.PENDING_PAYMENT, user=owner)
    client.force_login(owner)
    response = client.get(customer_url(order))
    assert response.status_code == 403
    assert "orders/handover_pack_unavailable.html" in [t.name for t in response.templates]
    assert "ready once the order is paid" in response.text and "pending payment" in response.text


def test_a_guest_before_payment_gets_the_clear_page_with_a_way_back(client):
    order = make_order(status=Order.Status.PENDING_PAYMENT)
    response = client.get(customer_url(order, token=order.access_token))
    assert response.status_code == 403
    assert f"{order.get_absolute_url()}?token={order.access_token}" in response.text


# Where the links are


def test_the_order_page_offers_the_pack_once_paid(client):
    order = make_order()
    response = client.get(order.get_absolute_url(), {"token": order.access_token})
    assert response.context["handover_pack_url"] == customer_url(order, token=order.access_token)
    assert "Download the handover pack (PDF)" in response.text


def test_the_owners_order_page_links_the_pack_without_the_token(client):
    owner = UserFactory()
    order = make_order(user=owner)
    client.force_login(owner)
    assert client.get(order.get_absolute_url()).context["handover_pack_url"] == customer_url(order)


def test_the_order_page_offers_no_pack_before_payment(client):
    order = make_order(status=Order.Status.PENDING_PAYMENT)
    response = client.get(order.get_absolute_url(), {"token": order.access_token})
    assert response.context["handover_pack_url"] == ""
    assert "handover pack" not in response.text.lower()


def test_the_admin_order_page_links_the_pack_once_paid(client, order):
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert f'href="{admin_url(order)}"' in response.text
    unpaid = OrderFactory(status=Order.Status.PENDING_PAYMENT)
    response = client.get(reverse("admin:orders_order_change", args=[unpaid.pk]))
    assert admin_url(unpaid) not in response.text


def test_the_ready_email_attaches_the_pack_as_the_order_is_when_sent(
    order, mailoutbox, django_capture_on_commit_callbacks
):
    from orders.services import order_mark_ready

    with django_capture_on_commit_callbacks(execute=True):  # eager: the outbox row is sent after the commit
        order_mark_ready(order_id=order.pk)
    [message] = mailoutbox
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"handover-pack-{order.reference}.pdf", "application/pdf")
    assert "Bella" in pdf_text(content) and CHIP in pdf_text(content)


def test_the_ready_email_goes_without_a_pack_once_the_order_no_longer_has_one(order, mailoutbox):
    from notifications.models import Notification
    from notifications.services import notification_send
    from orders.services import order_mark_ready, order_record_refund

    order_mark_ready(order_id=order.pk)  # no commit here: the row waits, pending
    order_record_refund(order_id=order.pk)  # refunded before the worker sends it
    notification = Notification.objects.get(kind="order-ready")
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    [message] = mailoutbox
    assert message.attachments == []


def test_the_care_sheet_shows_the_life_stage_guide_and_only_the_facts_that_apply(order):
    dog = Species.objects.get(slug="dog")
    dog.care_guide_young = "Puppy meals: four a day."
    dog.save()
    Animal.objects.filter(name="Bella").update(good_with_children=Animal.Answer.YES, adult_size=Animal.Size.MEDIUM)
    Species.objects.filter(slug="fish").update(facts=["adult_size", "special_needs"])
    Animal.objects.filter(name="Neon tetras").update(special_needs="Keep in a group of six or more.")
    _, bella, tetras = (page.extract_text() for page in PdfReader(BytesIO(handover_pack_pdf(order))).pages)
    assert "Puppy meals: four a day." in bella and "Walk five minutes" not in bella  # Bella is 100 days old
    assert "Good with children: Yes" in bella and "Adult size: Medium" in bella and "Neutered" in bella
    assert "Special needs: Keep in a group of six or more." in tetras
    for absent in ["Neutered", "Microchip", "Vaccinations", "Vaccinated"]:
        assert absent not in tetras
