"""Background tasks of documents (run by the worker, manage.py db_worker)."""

from django_tasks import task
from wagtail.documents import get_document_model


@task()
def extract_document_text(document_id: int) -> str:
    """Extracts the text of the document's file (documents.extraction: bounded, never raises for a
    bad file) and saves it, which updates the search index. Returns the text status; a document
    deleted meanwhile is skipped. Run again, it extracts the current file again."""
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return "deleted"
    document.extract_text()
    document.save(update_fields=["text", "text_status"])
    return document.text_status
