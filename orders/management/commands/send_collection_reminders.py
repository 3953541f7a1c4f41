"""Queue tomorrow's collection reminders (beat runs this daily; safe to run again: one reminder per order and day)."""

from django.core.management.base import BaseCommand

from orders.services import order_remind_collection


class Command(BaseCommand):
    help = "Queue a reminder e-mail for every paid or ready order to be collected tomorrow."

    def handle(self, *args, **options):
        count = order_remind_collection()
        self.stdout.write(f"{count} order{'s' if count != 1 else ''} to collect tomorrow reminded.")
