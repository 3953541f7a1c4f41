from django.core.management.base import BaseCommand

from payments.services import payment_reconcile


class Command(BaseCommand):
    help = (
        "Ask the payment provider about open checkout sessions that should have finished (past their expiry or "
        "their order's reservation) and fulfil or expire them, for webhooks that never came. Run it every few minutes."
    )

    def handle(self, *args, **options):
        counts = payment_reconcile()
        summary = ", ".join(f"{counts[key]} {key}" for key in ("paid", "expired", "waiting", "failed"))
        self.stdout.write(f"Reconciled payments: {summary}.")
        if counts["failed"]:
            self.stderr.write("Some sessions could not be checked; they are retried on the next run.")
