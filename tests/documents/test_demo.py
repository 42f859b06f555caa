"""The demo documents: real files whose text the demo search finds; the Personalrat's stays hidden."""

import pytest
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model

from documents import demo, extraction
from search import query

pytestmark = [pytest.mark.django_db, pytest.mark.search_index]


def test_demo_documents_are_searchable_by_their_text(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load() == {"documents_created": 5}
        # read before any queued task ran (a demo built inside a transaction, or with no worker)
        documents = get_document_model().objects.all()
        assert {doc.text_status for doc in documents} == {extraction.OK}
    assert {doc.file_extension for doc in documents} == {"pdf", "docx", "xlsx", "pptx", "odt"}

    hit = query.search(user=user, q="Kilometerpauschale").hits[0]
    assert hit.title == "Dienstanweisung Reisekosten" and "<mark>Kilometerpauschale</mark>" in hit.snippet
    assert [h.title for h in query.search(user=user, q="Verwaltungsgebühr").hits] == [
        "Gebührenverzeichnis Bürgeramt 2026"
    ]
    assert query.search(user=user, q="Höhergruppierungen").count == 0  # the Personalrat's minutes
    user.groups.add(Group.objects.get(name=demo.PERSONALRAT_GROUP))
    member = type(user).objects.get(pk=user.pk)
    assert query.search(user=member, q="Höhergruppierungen").count == 1

    assert demo.load() == {"documents_created": 0}  # safe to run again
