"""The intranet's document model (``WAGTAILDOCS_DOCUMENT_MODEL = "documents.IntranetDocument"``):
Wagtail's document plus the text extracted from its file, so the one search (and the admin's
document search) finds a document by the words inside it.

The text is extracted in the background when a file is uploaded or replaced: :meth:`IntranetDocument.save`
marks the text ``pending`` ("Text wird erkannt …" on the document's admin page) and queues
``documents.tasks.extract_document_text`` after the commit, so the upload returns at once; the
task saves the text, and Wagtail's search signal indexes title and text. Extraction is bounded
and never fails (see ``documents.extraction``); what went wrong is logged and kept in
``text_status``. ``manage.py extract_document_text`` extracts again (e.g. after raising
a limit or adding a format).
"""

import logging
import os

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument
from wagtail.search import index

from intranet.shared.tasks import enqueue_on_commit

from . import extraction
from .storage import document_storage

logger = logging.getLogger(__name__)


class IntranetDocument(AbstractDocument):
    # Wagtail's field, with the files in a storage of their own, outside MEDIA_ROOT
    # (documents/storage.py): only the permission-checked view at /dokumente/ sends them.
    file = models.FileField(upload_to="documents", verbose_name=_("file"), storage=document_storage)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    text_status = models.CharField(
        _("text extraction"),
        max_length=20,
        blank=True,
        editable=False,
        choices=[
            (extraction.PENDING, _("text is being recognised")),
            (extraction.OK, _("text extracted")),
            (extraction.EMPTY, _("no text in the file")),
            (extraction.UNSUPPORTED, _("file type without text extraction")),
            (extraction.TOO_LARGE, _("file too large for text extraction")),
            (extraction.FAILED, _("text extraction failed")),
        ],
    )
    file_updated_at = models.DateTimeField(_("file updated at"), null=True, blank=True, editable=False)

    admin_form_fields = WagtailDocument.admin_form_fields

    search_fields = AbstractDocument.search_fields + [
        index.SearchField("text"),
        index.FilterField("file_updated_at"),  # with created_at: the date a search sorts by
    ]

    class Meta(AbstractDocument.Meta):
        # Permissions stay Wagtail's: its document permission policy checks the
        # "wagtaildocs.*_document" permissions whatever the document model (home.actions grants them).
        pass

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        new_file = self.file and not self.file._committed and (update_fields is None or "file" in update_fields)
        if new_file:
            # A new or replaced file (not yet written to storage): its text comes from the worker.
            self.text, self.text_status = "", extraction.PENDING
            self.file_updated_at = timezone.now()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "text", "text_status", "file_updated_at"}
        super().save(*args, **kwargs)
        if new_file:
            from .tasks import extract_document_text

            enqueue_on_commit(extract_document_text, self.pk)

    @property
    def text_pending(self) -> bool:
        """The text of the file is still being extracted (by the worker)."""
        return self.text_status == extraction.PENDING

    def extract_text(self) -> extraction.Extracted:
        """Sets ``text`` and ``text_status`` from the file (the new one, if one was assigned)."""
        extension = os.path.splitext(self.file.name)[1]
        try:
            with self.open_file() as f:
                result = extraction.extract_file(f, extension)
                f.seek(0)  # an uploaded file is written to storage after this
        except Exception as exc:
            result = extraction.Extracted("", extraction.FAILED, f"could not open the file: {exc}")
        if result.status in (extraction.FAILED, extraction.TOO_LARGE):
            logger.warning(
                "document %s (%r, %s): no text extracted (%s): %s",
                self.pk or "new", self.title, self.file.name, result.status, result.reason,
            )  # fmt: skip
        self.text, self.text_status = result.text, result.status
        return result
