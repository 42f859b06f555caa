"""Moves document files from MEDIA_ROOT (where Wissensnetz kept them before) to the document
storage (DOCUMENTS_ROOT), which no web server serves. ``manage.py migrate`` does this once
(migration documents 0003); run this again after putting back files from an old backup.

manage.py move_document_files
"""

from django.core.management.base import BaseCommand
from wagtail.documents import get_document_model

from documents.storage import move_to_document_storage


class Command(BaseCommand):
    help = "Move document files from MEDIA_ROOT to the private document storage (DOCUMENTS_ROOT)."

    def handle(self, *args, **options):
        counts = move_to_document_storage(get_document_model().objects.all())
        self.stdout.write(
            f"Document files moved: {counts['moved']}, already in the document storage: {counts['already']}, "
            f"missing: {counts['missing']}"
        )
