"""manage.py send_digest: queues the daily e-mail digest (people.tasks.send_digest_mails) for the
background worker. Scheduled once a day (cron or a systemd timer: docs/deploy.md, "Background
worker")."""

from django.core.management.base import BaseCommand

from intranet.shared.tasks import enqueue_from_command
from people.tasks import send_digest_mails


class Command(BaseCommand):
    help = "Queues the daily e-mail digest of unread notifications (run once a day, e.g. at 7:00)."

    def handle(self, *args, **options):
        enqueue_from_command(self, send_digest_mails, describe=lambda count: f"{count} digest e-mails sent.")
