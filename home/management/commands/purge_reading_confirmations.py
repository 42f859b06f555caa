"""manage.py purge_reading_confirmations: queues the deletion of per-person confirmations of
mandatory reading (and the record of who was reminded) older than ACKNOWLEDGEMENT_RETENTION_DAYS
(home.tasks.purge_old_confirmations). The counts per department stay. Scheduled once a day (cron
or a systemd timer: docs/deploy.md, "Background worker")."""

from django.core.management.base import BaseCommand

from home.tasks import purge_old_confirmations
from intranet.shared.tasks import enqueue_from_command


class Command(BaseCommand):
    help = (
        "Deletes who confirmed mandatory reading once older than ACKNOWLEDGEMENT_RETENTION_DAYS (default 365); "
        "the counts per department stay. Run once a day."
    )

    def handle(self, *args, **options):
        enqueue_from_command(
            self,
            purge_old_confirmations,
            describe=lambda r: f"Deleted {r['confirmations']} confirmation(s) and {r['reminders']} reminder record(s).",
        )
