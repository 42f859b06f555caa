"""The index follows documents through the Wagtail admin (upload, replace the file, rename, move to
a restricted collection, delete) and the re-extraction command; a file that cannot be read never
fails an upload."""

import logging
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from documents import extraction, samples
from search import query

pytestmark = [pytest.mark.django_db, pytest.mark.search_index]
Document = get_document_model()


def titles(user, q):
    return [hit.title for hit in query.search(user=user, q=q).hits]


@pytest.fixture
def upload(admin_client, django_capture_on_commit_callbacks):
    """Posts Wagtail's "add a document" form; returns the saved document."""

    def post(title, data, filename, *, collection=None):
        collection = collection or Collection.get_first_root_node()
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("wagtaildocs:add"),
                {"title": title, "file": SimpleUploadedFile(filename, data), "collection": collection.pk, "tags": ""},
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        return Document.objects.get(title=title)

    return post


@pytest.fixture
def edit(admin_client, django_capture_on_commit_callbacks):
    def post(document, *, title=None, file=None, collection=None):
        data = {
            "title": title or document.title,
            "collection": (collection or document.collection).pk,
            "tags": "",
        }
        if file is not None:
            data["file"] = SimpleUploadedFile(*file)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(reverse("wagtaildocs:edit", args=[document.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return Document.objects.get(pk=document.pk)

    return post


def test_an_uploaded_file_is_found_by_its_text(upload, user):
    data = samples.docx_bytes(["Die Kilometerpauschale beträgt 30 Cent."], heading="Dienstanweisung Reisekosten")
    document = upload("Reisekosten", data, "reisekosten.docx")
    assert document.text_status == extraction.OK
    assert "Kilometerpauschale" in document.text
    assert document.file_size == len(data) and document.file_updated_at is not None
    assert titles(user, "Kilometerpauschale") == ["Reisekosten"]


def test_a_broken_file_is_saved_logged_and_found_by_its_title(upload, user, caplog):
    with caplog.at_level(logging.WARNING, logger="documents.models"):
        document = upload("Umlaufbeschluss Haushalt", b"%PDF-1.7\n\x00\x01 kaputt", "beschluss.pdf")
    assert document.text_status == extraction.FAILED and document.text == ""
    assert "no text extracted (failed)" in caplog.text and "beschluss" in caplog.text
    assert titles(user, "Umlaufbeschluss") == ["Umlaufbeschluss Haushalt"]


def test_a_file_type_without_a_reader_is_found_by_its_title(upload, user):
    document = upload("Altes Formular Dienstreise", b"\xd0\xcf\x11\xe0 old Word", "formular.doc")
    assert document.text_status == extraction.UNSUPPORTED
    assert titles(user, "Formular") == ["Altes Formular Dienstreise"]


def test_replacing_the_file_replaces_the_text(upload, edit, user):
    document = upload("Merkblatt", samples.pdf_bytes(["Gültig ist die Fassung vom Januar."]), "merkblatt.pdf")
    first_change = document.file_updated_at
    document = edit(document, file=("merkblatt.odt", samples.odt_bytes(["Neue Fassung mit Telearbeitstagen."])))
    assert document.text == "Neue Fassung mit Telearbeitstagen." and document.file_extension == "odt"
    assert document.file_updated_at > first_change
    assert titles(user, "Telearbeitstagen") == ["Merkblatt"]
    assert titles(user, "Januar") == []


def test_renaming_keeps_the_text_without_reading_the_file_again(upload, edit, user, monkeypatch):
    document = upload("Entwurf", samples.docx_bytes(["Regeln zur Rufbereitschaft."]), "regeln.docx")

    def no_extraction(*args, **kwargs):
        raise AssertionError("the file did not change: no extraction")

    monkeypatch.setattr(extraction, "extract_bytes", no_extraction)
    document = edit(document, title="Dienstvereinbarung Rufbereitschaft")
    assert document.text == "Regeln zur Rufbereitschaft."
    assert titles(user, "Dienstvereinbarung") == ["Dienstvereinbarung Rufbereitschaft"]
    assert titles(user, "Entwurf") == []


def test_moving_into_a_restricted_collection_hides_it(upload, edit, user):
    document = upload("Hinweise", samples.docx_bytes(["Beurteilungsrichtlinie für Beschäftigte."]), "hinweise.docx")
    council = Collection.get_first_root_node().add_child(name="Personalrat")
    CollectionViewRestriction.objects.create(collection=council, restriction_type=CollectionViewRestriction.GROUPS)
    assert titles(user, "Beurteilungsrichtlinie") == ["Hinweise"]
    edit(document, collection=council)
    assert titles(user, "Beurteilungsrichtlinie") == []
    assert query.search(user=user, q="Beurteilungsrichtlinie").count == 0


def test_deleting_removes_it(upload, admin_client, user, django_capture_on_commit_callbacks):
    document = upload("Aushang", samples.docx_bytes(["Betriebsausflug am Freitag."]), "aushang.docx")
    assert titles(user, "Betriebsausflug") == ["Aushang"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert query.search(user=user, q="Betriebsausflug").count == 0


def test_the_command_extracts_what_is_missing_and_updates_the_index(upload, user, django_capture_on_commit_callbacks):
    document = upload("Checkliste", samples.xlsx_bytes([["Schritt", "Schlüsselübergabe"]]), "liste.xlsx")
    other = upload("Leer", samples.pdf_bytes(["Gar nichts Besonderes."]), "leer.pdf")
    # as if uploaded before text extraction existed (update() sends no signal)
    Document.objects.filter(pk=document.pk).update(text="", text_status="")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("update_index", stdout=StringIO())  # the index as the database has it: no text
    assert titles(user, "Schlüsselübergabe") == []

    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("extract_document_text", stdout=out, stderr=err)
    assert out.getvalue().startswith("Documents: ok: 1 (")  # only the one without text; seconds
    assert "documents [" in err.getvalue() and " 1/1 " in err.getvalue()  # the progress bar's last state
    assert Document.objects.get(pk=document.pk).text_status == extraction.OK
    assert titles(user, "Schlüsselübergabe") == ["Checkliste"]

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("extract_document_text", "--all", stdout=out)
    assert out.getvalue().startswith("Documents: ok: 2 (")
    assert Document.objects.get(pk=other.pk).text == "Gar nichts Besonderes."
