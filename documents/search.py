"""The "document" type of the one search (``search.registry``): what a user may see
(``documents.permissions.visible_documents``: Wagtail's collection view restrictions), and how a
hit looks (title, link to the file, snippet from the extracted text, collection, file type).
Documents belong to no department."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext_lazy

from search.analysis import fold
from search.hits import Hit, highlight, query_stems
from search.registry import SearchType, Source, register, start_of

from .permissions import visible_documents

#: Characters around the first match handed to the highlighter (the text can be 200k long).
SNIPPET_WINDOW = 600


def queryset(user, *, tag: str = "", date_from=None, date_to=None):
    """The documents ``user`` may see, narrowed by the search filters that apply to documents
    (tag, date of upload or last file change). Documents belong to no department."""
    documents = visible_documents(user).select_related("collection")
    if tag:
        # As a list of ids: the index has the id as a filter field, but not the tags' slugs.
        tagged = documents.model.objects.filter(tags__slug=tag).values_list("pk", flat=True)
        documents = documents.filter(pk__in=list(tagged))
    if date_from:
        documents = documents.filter(created_at__gte=start_of(date_from))
    if date_to:
        documents = documents.filter(created_at__lt=start_of(date_to + datetime.timedelta(days=1)))
    return documents


def _near_first_match(text: str, q: str) -> str:
    """The part of ``text`` around the first word that matches the query, so highlighting a long
    text stays cheap; the start of the text when nothing matches literally."""
    stems = query_stems(q)
    if len(text) <= 2 * SNIPPET_WINDOW or not stems:
        return text[: 2 * SNIPPET_WINDOW]
    for match in re.finditer(r"\w+", text):
        word = fold(match.group(0))
        if any(stem in word for stem in stems):
            start = max(0, match.start() - SNIPPET_WINDOW // 3)
            start = text.rfind(" ", 0, start) + 1 if start else 0
            return text[start : start + 2 * SNIPPET_WINDOW]
    return text[: 2 * SNIPPET_WINDOW]


def file_type(document) -> str:
    return document.file_extension.lower()


def collection_name(document) -> str:
    collection = document.collection
    return "" if collection is None or collection.is_root() else collection.name


def updated(document) -> datetime.datetime:
    return document.file_updated_at or document.created_at


def tags_by_document(ids) -> dict:
    """``{id: [tag names]}`` for the documents in a result window (one query)."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem
    from wagtail.documents import get_document_model

    tags: dict = {}
    content_type = ContentType.objects.get_for_model(get_document_model())
    for object_id, name in TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).values_list(
        "object_id", "tag__name"
    ):
        tags.setdefault(object_id, []).append(name)
    return tags


class DocumentType(SearchType):
    name = "document"
    label = gettext_lazy("Documents")
    hit_label = gettext_lazy("Document")
    order = 40

    def source(self, user, filters):
        if filters.department:  # documents belong to no department
            return None
        documents = queryset(user, tag=filters.tag, date_from=filters.date_from, date_to=filters.date_to)
        return Source(self.name, documents, date_fields=("file_updated_at", "created_at"))

    def hit(self, obj, score, q, tags, request=None):
        text = _near_first_match(obj.text, q) if obj.text else obj.title
        return Hit(
            self.name, obj.pk, obj.title, obj.url, highlight(text, q), collection_name(obj), sorted(tags),
            updated(obj), score, file_type=file_type(obj),
        )  # fmt: skip

    def tags(self, ids):
        return tags_by_document(ids)

    def updated(self, obj):
        return updated(obj)

    def topic_tags(self, user):
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        documents = visible_documents(user)
        content_type = ContentType.objects.get_for_model(documents.model)
        return TaggedItem.objects.filter(content_type=content_type, object_id__in=documents.values("pk")).values(
            "tag_id"
        )


register(DocumentType())
