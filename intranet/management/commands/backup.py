"""``manage.py backup DIR``: the database, MEDIA_ROOT and DOCUMENTS_ROOT with a manifest of
checksums, into a new folder (intranet/backup.py; docs/deploy.md, "Backup and restore")."""

from pathlib import Path

from django.core.management.base import BaseCommand

from intranet import backup


class Command(BaseCommand):
    help = "Writes a consistent backup of the database and the files into DIR (new or empty)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the folder to create (it must not exist or be empty)")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        manifest = backup.backup(target, say=self.stdout.write)
        files = manifest["files"]
        size = sum(f["size"] for f in files.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup complete: {target.absolute()} ({manifest['database']['engine']}, "
                f"{len(files)} files, {size / 1e6:.1f} MB, version {manifest['app_version']})."
            )
        )
