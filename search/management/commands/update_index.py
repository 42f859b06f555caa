"""``manage.py update_index``: modelsearch's rebuild of the search index from the database, with a
progress bar per indexed model on stderr (``intranet.shared.progress``: redrawn in place on a
terminal, a plain line every few seconds in a log) and a one-line summary at the end on stdout:
``Search index (default): 107016 objects indexed in 49.1 s (home.WikiPage 5012, posts.Post 100000, …)``.

Overrides Wagtail's ``update_index`` (this app comes first in INSTALLED_APPS); the options and the
rebuild itself (the engine's rebuilder: Whoosh moves a damaged index aside, PostgreSQL analyses its
tables at the end) are modelsearch's. ``-v 0`` writes nothing."""

import time

from django.core.management.base import CommandError
from modelsearch.backends import get_search_backend
from modelsearch.conf import get_app_config
from modelsearch.index import get_indexed_models
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand
from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index

from intranet.shared.progress import Progress


class Command(RebuildCommand):
    help = "Rebuilds the search index from the database, with progress and a summary."

    def handle(self, **options):
        configured = list(get_app_config().get_search_backend_config())
        name = options.get("backend_name")
        if name and name not in configured:
            raise CommandError(f"No search backend {name!r}; configured: {', '.join(configured)}.")
        if options.get("chunk_size", 1) < 1:
            raise CommandError("--chunk_size must be 1 or more.")
        super().handle(**options)

    def update_backend(self, backend_name, schema_only=False, chunk_size=1000):
        backend = get_search_backend(backend_name)
        if not backend.rebuilder_class:
            self.write(f"Search index ({backend_name}): this backend needs no rebuild.")
            return
        started = time.monotonic()
        counts: dict[str, int] = {}
        for index, models in group_models_by_index(backend, get_indexed_models()).items():
            rebuilder = backend.rebuilder_class(index)
            rebuilding = rebuilder.start()
            for model in models:
                rebuilding.add_model(model)
            if not schema_only:
                for model in models:
                    counts[model._meta.label] = self.add_objects(rebuilding, model, chunk_size)
            rebuilder.finish()
        total = sum(counts.values())
        each = ", ".join(f"{name} {n}" for name, n in counts.items() if n)
        self.write(
            f"Search index ({backend_name}): {total} objects indexed in {time.monotonic() - started:.1f} s"
            + (f" ({each})" if each else "")
        )

    def add_objects(self, rebuilding, model, chunk_size: int) -> int:
        queryset = model.get_indexed_objects().order_by("pk")
        progress = Progress(model._meta.label, queryset.count(), self.stderr) if self.verbosity else None
        added = 0
        for chunk in self.queryset_chunks(queryset, chunk_size):
            rebuilding.add_items(model, chunk)
            added += len(chunk)
            if progress:
                progress.advance(len(chunk))
        if progress:
            progress.finish()
        return added
