"""What manage.py sync_directory and import_staff share: the run, its progress on stderr
(intranet.shared.progress), the report of each change (always with --dry-run, else with -v 2)
and the summary. Exit status 1 when the source failed (nothing changed) or entries had errors
(the others were synchronised), so cron and systemd report it."""

import time

from django.core.management.base import BaseCommand, CommandError

from intranet.shared.progress import Progress
from people.directory import Source, SourceError, synchronise


class DirectoryCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing (the run is rolled back)."
        )

    def source(self, options) -> Source:
        raise NotImplementedError

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        verbose = dry_run or options["verbosity"] >= 2
        started = time.monotonic()
        try:
            with self.opened(options) as source:
                total = source.count() if options["verbosity"] else 0
                progress = Progress("people", total, self.stderr) if options["verbosity"] else None

                def report(action, where, detail):
                    if verbose or action == "error":
                        prefix = "would " if dry_run and action not in {"error", "warning"} else ""
                        line = f"{prefix}{action}: {where}" + (f" ({detail})" if detail else "")
                        if progress is not None and progress.terminal:
                            line = "\r" + line
                        (self.stderr if action == "error" else self.stdout).write(line)

                summary = synchronise(source=source, dry_run=dry_run, report=report, progress=progress)
                if progress is not None:
                    progress.finish()
        except SourceError as error:
            raise CommandError(f"{error}. Nothing was changed.") from None
        s = summary
        self.stdout.write(
            ("Dry run, nothing written. It would have: " if dry_run else "")
            + f"created {s.created}, updated {s.updated}, deactivated {s.deactivated}, unchanged {s.unchanged}, "
            f"skipped {s.skipped}, errors {len(s.errors)}; units: created {s.units_created}, "
            f"updated {s.units_updated}, unchanged {s.units_unchanged}, no longer in the directory {s.units_left} "
            f"({time.monotonic() - started:.1f} s)"
        )
        if s.errors:
            for where, message in s.errors:
                self.stderr.write(f"  {where}: {message}")
            raise CommandError(
                f"{len(s.errors)} entries had errors and were skipped (listed above); everyone else "
                + ("would have been" if dry_run else "was")
                + " synchronised."
            )

    def opened(self, options):
        return _Opened(self.source(options))


class _Opened:
    def __init__(self, source):
        self.source = source

    def __enter__(self):
        enter = getattr(self.source, "__enter__", None)
        return enter() if enter else self.source

    def __exit__(self, *exc):
        leave = getattr(self.source, "__exit__", None)
        if leave:
            leave(*exc)
