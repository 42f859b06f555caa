"""Document files lie outside MEDIA_ROOT, in a storage without URLs: a web server that serves
/media/ (for images) cannot publish them. They are only sent by Wagtail's view at /dokumente/,
after its check of the collection's view restrictions. Files of older installations are moved
there (migration documents 0003, ``manage.py move_document_files``)."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.conftest import make_user, sign_in

from .conftest import add_document

pytestmark = pytest.mark.django_db
Document = get_document_model()
MINUTES = b"Vertraulich: Anhoerung zu Hoehergruppierungen."


@pytest.fixture(autouse=True)
def _folders_of_its_own(settings, tmp_path):
    """Empty MEDIA_ROOT and DOCUMENTS_ROOT for each test, so what lies there is this test's."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DOCUMENTS_ROOT = str(tmp_path / "private-documents")


@pytest.fixture
def council(db):
    """The Personalrat's collection, restricted to its group, with one member."""
    collection = Collection.get_first_root_node().add_child(name="Personalrat")
    group = Group.objects.create(name="Personalrat")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    member = make_user("claudia.werner")
    member.groups.add(group)
    return collection, member


def download(client, document):
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def upload_minutes(admin_client):
    """The minutes uploaded through Wagtail's admin form, into the root collection."""
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Protokoll",
            "file": SimpleUploadedFile("protokoll.txt", MINUTES),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )
    assert response.status_code == 302
    return Document.objects.get(title="Protokoll")


def is_below(path, folder) -> bool:
    return Path(folder).resolve() in Path(path).resolve().parents


def test_an_uploaded_document_lies_outside_media_root(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload_minutes(admin_client)
    assert not is_below(document.file.path, settings.MEDIA_ROOT)
    assert is_below(document.file.path, settings.DOCUMENTS_ROOT)
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert document.url == f"/dokumente/{document.pk}/protokoll.txt"


def test_a_document_file_has_no_address_but_the_checked_view(council):
    collection, _member = council
    document = Document.objects.create(
        title="Protokoll", file=ContentFile(MINUTES, name="protokoll.txt"), collection=collection
    )

    with pytest.raises(NotImplementedError):
        _ = document.file.url
    assert document.url.startswith("/dokumente/")


def test_download_works_for_who_may_see_the_collection_only(
    council, user_client, client, django_capture_on_commit_callbacks
):
    collection, member = council
    document = add_document(
        django_capture_on_commit_callbacks, "Protokoll", MINUTES, "protokoll.txt", collection=collection
    )
    sign_in(client, member)

    allowed, body = download(client, document)
    refused, refused_body = download(user_client, document)

    assert allowed.status_code == 200 and body == MINUTES
    assert refused.status_code != 200 and MINUTES not in refused_body


def old_layout_document(title, data, name, collection=None) -> Document:
    """A document as installations before the document storage kept it: in MEDIA_ROOT/documents/."""
    stored = storages["default"].save(f"documents/{name}", ContentFile(data))
    document = Document.objects.create(
        title=title,
        file=ContentFile(b"placeholder", name=name),
        collection=collection or Collection.get_first_root_node(),
    )
    storages["documents"].delete(document.file.name)
    Document.objects.filter(pk=document.pk).update(file=stored)
    document.refresh_from_db()
    return document


def test_move_document_files_moves_the_old_files_out_of_media_root(council, client):
    collection, member = council
    document = old_layout_document("Protokoll", MINUTES, "protokoll.txt", collection)
    other = old_layout_document("Plan", b"Bebauungsplan", "plan.txt")
    # a different file already has the first one's name in the document storage
    taken = storages["documents"].save(document.file.name, ContentFile(b"another file"))
    assert taken == document.file.name
    out = StringIO()

    call_command("move_document_files", stdout=out)

    assert "moved: 2" in out.getvalue()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    for moved, data in ((document, MINUTES), (other, b"Bebauungsplan")):
        moved.refresh_from_db()
        assert is_below(moved.file.path, settings.DOCUMENTS_ROOT)
        with moved.file.open("rb") as f:
            assert f.read() == data
    assert document.file.name != taken  # kept under a free name; the row follows
    sign_in(client, member)
    assert download(client, document)[1] == MINUTES

    again = StringIO()
    call_command("move_document_files", stdout=again)
    assert "moved: 0, already in the document storage: 2, missing: 0" in again.getvalue()


def test_check_refuses_documents_root_inside_media_root(settings):
    settings.DOCUMENTS_ROOT = str(Path(settings.MEDIA_ROOT) / "documents")

    assert "documents.E001" in [message.id for message in run_checks()]


def test_check_accepts_separate_folders():
    assert "documents.E001" not in [message.id for message in run_checks()]


def test_migration_moves_the_old_files_on_migrate(council):
    """Migration documents 0003 (run by ``manage.py migrate`` on upgrade) does the same."""
    import importlib

    from django.apps import apps

    collection, _member = council
    document = old_layout_document("Protokoll", MINUTES, "protokoll.txt", collection)

    importlib.import_module("documents.migrations.0003_move_document_files").move_files(apps, None)

    document.refresh_from_db()
    assert is_below(document.file.path, settings.DOCUMENTS_ROOT)
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_without_a_documents_entry_in_storages_files_still_stay_out_of_media_root(settings):
    from documents.storage import PrivateDocumentStorage, document_storage

    settings.STORAGES = {name: conf for name, conf in settings.STORAGES.items() if name != "documents"}

    storage = document_storage()
    assert isinstance(storage, PrivateDocumentStorage)
    assert storage.path("documents/x.pdf").startswith(str(Path(settings.DOCUMENTS_ROOT).resolve()))


def test_with_media_readable_by_the_web_server_document_files_stay_private(admin_client, settings):
    """compose's nginx reads images as another user (FILE_UPLOAD_PERMISSIONS=0644); a document's
    file must still be readable by the application's user and group only."""
    settings.FILE_UPLOAD_PERMISSIONS = 0o644
    document = upload_minutes(admin_client)
    assert Path(document.file.path).stat().st_mode & 0o777 == 0o640
    media = storages["default"].save("images/stadtplan.png", ContentFile(b"\x89PNG"))
    assert Path(storages["default"].path(media)).stat().st_mode & 0o777 == 0o644
