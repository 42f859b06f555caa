"""An upload returns at once; the document's admin page says "Text wird erkannt …" until the
worker has extracted the text (documents.tasks), then shows the result. A bad file is a result
too (not a task failure to retry)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.documents import get_document_model

from documents import samples
from tests.conftest import run_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("root_collection")]

PENDING = "Text wird erkannt …"


def upload(client, filename: str, data: bytes):
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Dienstanweisung", "file": SimpleUploadedFile(filename, data), "tags": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_document_model().objects.get(title="Dienstanweisung")


def edit_page(client, document) -> str:
    return client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()


def test_the_upload_returns_before_the_text_is_extracted_and_the_page_says_so(db_tasks, admin_client):
    document = upload(admin_client, "reise.pdf", samples.pdf_bytes(["Die Kilometerpauschale beträgt 30 Cent."]))

    queued = DBTaskResult.objects.get(task_path="documents.tasks.extract_document_text")
    assert (queued.status, queued.args_kwargs["args"]) == (TaskResultStatus.READY, [document.pk])
    assert document.text == "" and PENDING in edit_page(admin_client, document)

    run_worker()

    page = edit_page(admin_client, document)
    assert PENDING not in page and "Text ausgelesen" in page
    document.refresh_from_db()
    assert "Kilometerpauschale" in document.text


def test_a_damaged_file_ends_as_failed_extraction_without_retries(db_tasks, admin_client):
    document = upload(admin_client, "kaputt.pdf", b"%PDF-1.4 nur der Anfang einer Datei")

    run_worker()

    page = edit_page(admin_client, document)
    assert PENDING not in page and "Textauslese fehlgeschlagen" in page
    task = DBTaskResult.objects.get(task_path="documents.tasks.extract_document_text")
    assert (task.status, len(task.worker_ids)) == (TaskResultStatus.SUCCESSFUL, 1)


def test_a_document_deleted_before_its_extraction_ran_is_skipped(db_tasks, admin_client):
    document = upload(admin_client, "weg.txt", b"Wird gleich wieder geloescht")
    document.delete()

    run_worker()

    task = DBTaskResult.objects.get(task_path="documents.tasks.extract_document_text")
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, "deleted")


def test_replacing_the_file_extracts_the_new_one(db_tasks, admin_client):
    document = upload(admin_client, "alt.txt", b"Alte Fassung")
    run_worker()
    document.file = SimpleUploadedFile("neu.txt", b"Neue Fassung mit Parkausweis")
    document.save()

    assert PENDING in edit_page(admin_client, document)
    run_worker()
    document.refresh_from_db()
    assert "Parkausweis" in document.text and "Alte" not in document.text
