from django.core.management.base import BaseCommand

from home.actions import notify_review_due


class Command(BaseCommand):
    help = (
        "E-mails page owners whose pages fell due for review (once per due date) and adds the pages "
        "to their notification inbox. Run once a day, e.g. by cron or a systemd timer."
    )

    def handle(self, *args, **options):
        result = notify_review_due()
        self.stdout.write(f"Review reminders: {result['mails']} e-mail(s) about {result['pages']} page(s).")
