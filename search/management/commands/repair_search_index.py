"""``manage.py repair_search_index [--if-needed]``: checks the search index and, if it is
damaged, missing or incomplete, moves the damaged Whoosh index aside (kept for inspection as
``<folder>.broken-<time>``) and rebuilds it from the database, the source of truth.

Nothing written meanwhile is lost: posts and pages saved while the index was broken are in the
database, which the rebuild reads; those saved during the rebuild wait in the index's spool (kept
through the move) and are applied when the rebuild commits. Every step is logged (logger
``search.repair``): what was found, where the damaged index went, how many documents the new one
holds. ``--if-needed`` does nothing on a healthy index, for a timer that heals the site by itself
(docs/deploy.md, "Operator commands"). Only one repair runs at a time (a lock file beside the
index folder); a second one started meanwhile logs that and exits."""

import fcntl
import logging
import os
from contextlib import contextmanager

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from modelsearch.backends import get_search_backend

logger = logging.getLogger("search.repair")


def check(backend) -> tuple[bool, str]:
    """``(ok, detail)``: the backend's own health check, or a cheap search for backends without
    one (the database backend: the index is a table, a query shows whether it answers)."""
    if hasattr(backend, "healthcheck"):
        return backend.healthcheck()
    from django.db import transaction
    from wagtail.models import Page

    try:
        with transaction.atomic():
            list(backend.search("healthcheck", Page)[:1])
    except Exception as exc:
        return False, f"a search in the database fails ({exc.__class__.__name__}: {exc})"
    return True, "ok"


@contextmanager
def repair_lock(store):
    """Held by one repair at a time. The lock file sits beside the index folder, which the
    repair moves away."""
    if store is None:
        yield True
        return
    store.path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(store.path.with_name(f".{store.path.name}.repair-lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


class Command(BaseCommand):
    help = "Rebuilds a damaged, missing or incomplete search index from the database (the damaged one is kept aside)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Only repair if the index is damaged, missing or incomplete (for a timer); a healthy index is left alone.",
        )

    def handle(self, *args, if_needed=False, **options):
        verbosity = options.get("verbosity", 1)
        backend = get_search_backend()
        store = getattr(backend, "store", None)
        where = f"at {store.path}" if store is not None else "in the database"
        ok, detail = check(backend)
        if ok:
            logger.info("search index %s is healthy (%s)", where, detail)
            if if_needed:
                self._say(verbosity, f"Search index {where} is healthy ({detail}); nothing to do.")
                return
        else:
            logger.error("search index %s needs a repair: %s", where, detail)
        with repair_lock(store) as locked:
            if not locked:
                logger.warning("search index %s: another repair is running; this one stops", where)
                self._say(verbosity, "Another repair of the search index is running; nothing done.")
                return
            moved = None
            if store is not None and not ok and store.path.exists():
                moved = store.move_aside()
                logger.warning("search index %s: the damaged index was moved to %s", where, moved)
            logger.info("search index %s: rebuilding from the database", where)
            try:
                call_command("update_index", verbosity=max(0, verbosity - 1))
            except Exception as exc:
                logger.exception("search index %s: the rebuild failed", where)
                raise CommandError(f"The rebuild of the search index failed: {exc}") from exc
        ok, detail = check(backend)
        if not ok:
            logger.error("search index %s is still not healthy after the rebuild: %s", where, detail)
            raise CommandError(f"The search index is still not healthy after the rebuild: {detail}")
        kept = f"; the damaged index is kept at {moved}" if moved else ""
        logger.warning("search index %s rebuilt from the database: %s%s", where, detail, kept)
        self._say(verbosity, f"Search index {where} rebuilt from the database: {detail}{kept}.")

    def _say(self, verbosity, text):
        if verbosity:
            self.stdout.write(text)
