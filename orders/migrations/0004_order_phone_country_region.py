"""Order phones become E.164 and countries ISO codes, with a state or region field.

Existing rows are converted first: a phone that parses as a valid number (local numbers read in SHOP_COUNTRY)
is stored in E.164, any other is kept as it was; a country name becomes its code (an unknown name becomes
SHOP_COUNTRY, since the column then only holds two letters).
"""

import django_countries.fields
import phonenumbers
from django.conf import settings
from django.db import migrations, models
from django_countries import countries


# Names people type that are not django-countries' official English names (as in orders.addresses, frozen here).
ALIASES = {"united states": "US", "usa": "US", "america": "US", "united kingdom": "GB", "uk": "GB", "england": "GB"}


def to_codes(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    for order in Order.objects.only("pk", "phone", "country").iterator():
        name = order.country.strip()
        if len(name) == 2 and name.upper() in countries:
            code = name.upper()
        else:
            code = countries.by_name(name) or ALIASES.get(name.lower(), "")
        phone = order.phone
        try:
            number = phonenumbers.parse(phone, code or settings.SHOP_COUNTRY)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_valid_number(number):
            phone = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        Order.objects.filter(pk=order.pk).update(phone=phone, country=code or settings.SHOP_COUNTRY)


def to_names(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    for order in Order.objects.only("pk", "country").iterator():
        Order.objects.filter(pk=order.pk).update(country=countries.name(order.country) or order.country)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_order_history_and_handover"),
    ]

    operations = [
        migrations.RunPython(to_codes, to_names),
        migrations.AddField(
            model_name="order",
            name="region",
            field=models.CharField(blank=True, max_length=100, verbose_name="state or region"),
        ),
        migrations.AlterField(
            model_name="order",
            name="country",
            field=django_countries.fields.CountryField(max_length=2),
        ),
    ]
