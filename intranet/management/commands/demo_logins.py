from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints the demo logins."

    def handle(self, *args, **options):
        from people.demo import logins

        self.stdout.write("\nDemo-Anmeldungen (E-Mail / Passwort):")
        for email, password, role in logins():
            self.stdout.write(f"  {email:45} {password:20} {role}")
        self.stdout.write("")
