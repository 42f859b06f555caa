"""Prints a new personal API token once, for operators and scripts:

    manage.py create_api_token USERNAME --name NAME --scope read|write [--expires DAYS]
    manage.py create_api_token svc-monitoring --service-account --email monitoring@… --name Monitoring --scope read

Only the token goes to stdout (so `TOKEN=$(manage.py create_api_token …)` works); notes go to stderr."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from intranet import tokens


class Command(BaseCommand):
    help = "Creates a personal API token for a user (or a new service account) and prints it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'Monitoring'.")
        parser.add_argument("--scope", choices=["read", "write"], default="read")
        parser.add_argument(
            "--expires", type=int, metavar="DAYS", help="Days until the token expires (default: never)."
        )
        parser.add_argument(
            "--service-account",
            action="store_true",
            help="Create USERNAME as a service account (no password, no profile) if it does not exist.",
        )
        parser.add_argument("--email", help="E-mail address of a new service account (default: USERNAME@EMAIL_DOMAIN).")
        parser.add_argument("--description", default="", help="What the service account is for.")

    def handle(self, *args, username, name, scope, expires, service_account, email, description, **options):
        from django.conf import settings

        try:
            if service_account:
                email = email or f"{username}@{settings.WISSENSNETZ_EMAIL_DOMAIN}"
                user = tokens.create_service_account(username=username, email=email, description=description)
            else:
                user = get_user_model().objects.filter(username=username).first()
                if user is None:
                    raise CommandError(
                        f"There is no user '{username}'. Use --service-account to create one for a machine."
                    )
            token, plain = tokens.create_token(
                user=user, name=name, scope=scope, expires_in_days=expires, by_operator=True
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"Token '{token.name}' for {user.username} ({token.scope}"
            + (f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else ", no expiry")
            + "). It is shown only now:"
        )
        self.stdout.write(plain)
