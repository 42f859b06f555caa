from django.core.management.base import BaseCommand

from people.notifications import send_digests


class Command(BaseCommand):
    help = "Sends the daily e-mail digest of unread notifications (run once a day, e.g. by cron at 7:00)."

    def handle(self, *args, **options):
        count = send_digests()
        self.stdout.write(f"{count} digest e-mails sent.")
