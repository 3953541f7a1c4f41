"""Expire unpaid orders whose reservation has run out and put their animals back on sale.

Run it every minute (see the README: cron or a systemd timer). It is idempotent and safe beside
checkouts, payments and another run of itself: each order is re-checked under its row lock.
"""

from django.core.management.base import BaseCommand

from orders.services import order_release_expired


class Command(BaseCommand):
    help = "Expire pending orders past their reservation and return their stock."

    def handle(self, *args, **options):
        references = order_release_expired()
        for reference in references:
            self.stdout.write(f"expired {reference}")
        self.stdout.write(f"{len(references)} order{'s' if len(references) != 1 else ''} expired.")
