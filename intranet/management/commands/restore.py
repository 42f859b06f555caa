"""``manage.py restore DIR``: checks a backup's checksums, then restores the database and the
files, migrates and rebuilds the search index (intranet/backup.py; docs/deploy.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from intranet import backup


class Command(BaseCommand):
    help = (
        "Restores a backup made by `manage.py backup`: checks every checksum, restores the database "
        "and files, runs migrate and rebuilds the search index. Refuses a site that is not empty "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the backup folder (with manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a site that is not empty (has user accounts, documents, images or pages "
            "beyond the root and start page)",
        )

        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the backup (manifest and every checksum); change nothing",
        )

    def handle(self, *args, directory, force, check, **options):
        if check:
            manifest = backup.read_manifest(Path(directory))
            backup.verify(Path(directory), manifest, say=self.stdout.write)
            database = manifest["database"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backup is intact: {database['engine']}, made {manifest['created_at']} by version "
                    f"{manifest['app_version']}."
                )
            )
            return
        manifest = backup.restore(Path(directory), force=force, say=self.stdout.write)
        contents = backup.site_contents()
        summary = ", ".join(f"{n} {label}" for label, n in contents.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore complete: backup of {manifest['created_at']} ({manifest['app_version']}); "
                f"the site now has {summary}; search index rebuilt."
            )
        )
