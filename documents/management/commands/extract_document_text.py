"""Extracts the text of documents' files again and updates the search index.

manage.py extract_document_text            # documents never extracted, or whose extraction failed
manage.py extract_document_text --all      # every document (after raising a limit, a new format)
manage.py extract_document_text --id 12 --id 15
"""

from django.core.management.base import BaseCommand
from wagtail.documents import get_document_model

from documents import extraction
from intranet.shared.progress import Progress


class Command(BaseCommand):
    help = "Extract the text of documents' files for search (and update the search index)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every document, not only those without text.")
        parser.add_argument("--id", type=int, action="append", dest="ids", help="Only this document (repeatable).")

    def handle(self, *args, all=False, ids=None, **options):
        documents = get_document_model().objects.order_by("pk")
        if ids:
            documents = documents.filter(pk__in=ids)
        elif not all:
            documents = documents.filter(
                text_status__in=["", extraction.PENDING, extraction.FAILED, extraction.TOO_LARGE]
            )
        counts: dict = {}
        progress = Progress("documents", documents.count(), self.stderr)
        for document in documents.iterator():
            result = document.extract_text()
            # A save with update_fields: Wagtail's search signal re-indexes the document.
            document.save(update_fields=["text", "text_status"])
            counts[result.status] = counts.get(result.status, 0) + 1
            progress.advance()
        seconds = progress.finish()
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "nothing to do"
        self.stdout.write(f"Documents: {summary} ({seconds:.1f} s)")
