"""manage.py notify_review_due: queues the review reminders (home.tasks.send_review_reminders) for
the background worker. Scheduled once a day (cron or a systemd timer: docs/deploy.md,
"Background worker")."""

from django.core.management.base import BaseCommand

from home.tasks import send_review_reminders
from intranet.shared.tasks import enqueue_from_command


class Command(BaseCommand):
    help = (
        "Queues the review reminders: e-mails to page owners whose pages fell due for review (once per "
        "due date), and the pages in their notification inbox; and reminds staff of mandatory reading they "
        "have not confirmed (once per version). Run once a day."
    )

    def handle(self, *args, **options):
        enqueue_from_command(
            self,
            send_review_reminders,
            describe=lambda r: (
                f"Review reminders: {r['mails']} e-mail(s) about {r['pages']} page(s). "
                f"Mandatory reading: {r['reading']['reminded']} reminder(s), "
                f"{r['reading']['stand_ins']} stand-in(s) told for the absent."
            ),
        )
