"""manage.py import_staff FILE.csv [--column field=Header ...] [--dry-run]: the staff list from an
HR export, for administrations without a directory to read (people/hr_import.py)."""

from django.core.management.base import CommandError

from people.hr_import import DEFAULT_COLUMNS, CsvSource
from people.management.directory_command import DirectoryCommand


class Command(DirectoryCommand):
    help = (
        "Imports staff from an HR export (CSV): creates, updates, deactivates those no longer listed (never "
        "deletes). Default columns: " + ", ".join(f"{field}={column}" for field, column in DEFAULT_COLUMNS.items())
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="The CSV file (semicolons or commas, UTF-8).")
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="The file's header for a field, e.g. --column email=Mail (repeatable).",
        )
        parser.add_argument("--encoding", default="utf-8-sig", help="The file's encoding (default: UTF-8).")

    def source(self, options):
        columns = {}
        for item in options["column"]:
            field, sep, header = item.partition("=")
            if not sep or not field.strip() or not header.strip():
                raise CommandError(f"--column {item!r}: expected FIELD=HEADER, e.g. email=Mail")
            columns[field.strip()] = header.strip()
        return CsvSource(options["file"], columns, encoding=options["encoding"])
