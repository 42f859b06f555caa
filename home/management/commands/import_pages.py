from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from home.importer import import_directory
from intranet.shared.progress import Progress


class Command(BaseCommand):
    help = (
        "Imports a folder of Markdown files (with front matter: title, department, tags, owner, parent) as wiki "
        "pages. Running it again updates the pages instead of duplicating them. See home/importer.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder with .md files (subfolders included).")
        parser.add_argument("--as-user", default="", help="Username recorded in the history as the publisher.")

    def handle(self, *args, directory, as_user, **options):
        path = Path(directory)
        if not path.is_dir():
            raise CommandError(f"{directory} is not a folder")
        user = None
        if as_user:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"unknown user {as_user!r}")
        bars = []

        def progress(total):
            bars.append(Progress("pages", total, self.stderr))
            return bars[0].advance

        result = import_directory(path, user=user, progress=progress)
        if bars:
            bars[0].finish()
        if options["verbosity"] >= 2:
            for name in result.created:
                self.stdout.write(f"created  {name}")
            for name in result.updated:
                self.stdout.write(f"updated  {name}")
        for error in result.errors:
            self.stderr.write(f"error    {error}")
        summary = f"{len(result.created)} created, {len(result.updated)} updated, {len(result.errors)} failed."
        if result.errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
