from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.utils import timezone

from rows.models import Row


class Command(BaseCommand):
    help = "Fill the reference table with COUNT rows (replacing what is there)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)

    def handle(self, *args, count, **options):
        if Row.objects.count() == count:
            self.stdout.write(f"{count} rows already there")
            return
        Row.objects.all().delete()
        now = timezone.now()
        Row.objects.bulk_create(
            (
                Row(
                    name=f"Row {n}",
                    price=Decimal(100 + n % 900) + Decimal("0.99"),
                    created_at=now - timedelta(minutes=n),
                )
                for n in range(count)
            ),
            batch_size=2000,
        )
        self.stdout.write(f"seeded {count} rows")
