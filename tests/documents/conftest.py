"""Documents in collections with and without view restrictions, indexed on a fresh index."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from documents import samples
from tests.search.ui_fixtures import fresh_index  # noqa: F401 - autouse: a fresh index per test


def add_document(capture, title, data, filename, *, collection=None, tags=()):
    """Saves a document as Wagtail's upload form does; runs the index update that follows the commit."""
    with capture(execute=True):
        document = get_document_model()(title=title, file=ContentFile(data, name=filename))
        if collection is not None:
            document.collection = collection
        document.save()
        if tags:
            document.tags.add(*tags)
            document.save()
    return document


class Library:
    pass


@pytest.fixture
def library(db, django_capture_on_commit_callbacks):
    """Personalamt (open to all staff), Personalrat (group only), IT (password), Hausverwaltung
    (signed-in staff): one document each, with words found in no other."""
    capture = django_capture_on_commit_callbacks
    lib = Library()
    root = Collection.get_first_root_node()
    lib.open = root.add_child(name="Personalamt")
    lib.council = root.add_child(name="Personalrat")
    lib.it = root.add_child(name="IT")
    lib.house = root.add_child(name="Hausverwaltung")
    lib.council_group = Group.objects.create(name="Personalrat")
    restriction = CollectionViewRestriction.objects.create(
        collection=lib.council, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(lib.council_group)
    CollectionViewRestriction.objects.create(
        collection=lib.it, restriction_type=CollectionViewRestriction.PASSWORD, password="geheim"
    )
    CollectionViewRestriction.objects.create(collection=lib.house, restriction_type=CollectionViewRestriction.LOGIN)
    lib.travel = add_document(
        capture,
        "Dienstanweisung Reisekosten",
        samples.pdf_bytes(
            [
                "Dienstanweisung über die Erstattung von Reisekosten.",
                "Für Fahrten mit dem eigenen Wagen gilt eine Kilometerpauschale von 30 Cent.",
            ]
        ),
        "reisekosten.pdf",
        collection=lib.open,
        tags=["Dienstreise"],
    )
    lib.minutes = add_document(
        capture,
        "Protokoll der Sitzung",
        samples.docx_bytes(["Die Abmahnung von Frau K. wird vertraulich beraten."]),
        "protokoll.docx",
        collection=lib.council,
    )
    # a sub-collection inherits the restriction of its parent
    lib.council_sub = lib.council.add_child(name="Personalrat Archiv")
    lib.old_minutes = add_document(
        capture,
        "Altes Protokoll",
        samples.odt_bytes(["Abmahnung aus dem Vorjahr, Gehaltsliste anbei."]),
        "alt.odt",
        collection=lib.council_sub,
    )
    lib.passwords = add_document(
        capture, "Zugänge", b"Kennwortliste der Fachverfahren", "zugaenge.txt", collection=lib.it
    )
    lib.house_rules = add_document(
        capture,
        "Hausordnung",
        samples.docx_bytes(["Die Parkplatzvergabe regelt die Hausverwaltung vertraulich."]),
        "hausordnung.docx",
        collection=lib.house,
    )
    return lib
