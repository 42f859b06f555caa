"""Where the files of Wagtail documents are kept: a storage of their own (``STORAGES["documents"]``),
by default a folder outside ``MEDIA_ROOT`` (``DOCUMENTS_ROOT``, ``var/private-documents``) that no
web-server rule serves. A document's file has no address of its own: it is only ever sent by
Wagtail's view at ``/dokumente/<id>/<filename>``, which checks the collection's view restrictions
first (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``). Images stay in ``MEDIA_ROOT``.

Installations from before kept document files in ``MEDIA_ROOT/documents/``;
``move_to_document_storage`` moves them (migration ``documents.0003`` on ``manage.py migrate``,
and ``manage.py move_document_files`` at any time after, e.g. after restoring an old backup).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="documents.storage.PrivateDocumentStorage")
class PrivateDocumentStorage(FileSystemStorage):
    """Files on disk under ``DOCUMENTS_ROOT`` (or ``location``), without URLs."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.DOCUMENTS_ROOT)

    @cached_property
    def file_permissions_mode(self):
        # Readable by the application's user and group only, whatever FILE_UPLOAD_PERMISSIONS
        # allows for media (which a web server under another user may have to read).
        return self._file_permissions_mode if self._file_permissions_mode is not None else 0o640

    def url(self, name):
        # Wagtail's serve view and Document.url fall back to the permission-checked view.
        raise NotImplementedError("Document files have no direct URL; they are served by /dokumente/.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "DOCUMENTS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def document_storage():
    """The storage of document files (``FileField(storage=document_storage)``):
    ``STORAGES["documents"]``, or the private storage under ``DOCUMENTS_ROOT`` when a settings
    module lists no such entry (never the default storage, which is MEDIA_ROOT)."""
    if "documents" in storages.backends:
        return storages["documents"]
    return _fallback_storage()


@functools.cache
def _fallback_storage():
    return PrivateDocumentStorage()


def move_to_document_storage(documents, *, source=None, target=None) -> dict:
    """Moves the files of ``documents`` (a queryset of the document model, historical or not)
    found in ``source`` (the default storage, where they used to be) to ``target`` (the document
    storage) under the same name, or a free one if that is taken there, and deletes them from
    ``source``. Files already in ``target`` are left alone. Safe to run again.
    Returns counts: moved, already there, missing (in neither storage)."""
    source = source or storages["default"]
    target = target or document_storage()
    counts = {"moved": 0, "already": 0, "missing": 0}
    for pk, name in documents.order_by("pk").values_list("pk", "file"):
        if not name:
            continue
        if not source.exists(name):
            counts["already" if target.exists(name) else "missing"] += 1
            continue
        if target.exists(name) and _same_content(source, target, name):
            source.delete(name)  # copied by an earlier run that stopped before deleting
            counts["already"] += 1
            continue
        with source.open(name, "rb") as content:
            stored = target.save(name, content)
        if stored != name:
            documents.model.objects.filter(pk=pk).update(file=stored)
        source.delete(name)
        counts["moved"] += 1
    return counts


def _same_content(source, target, name) -> bool:
    if source.size(name) != target.size(name):
        return False
    with source.open(name, "rb") as a, target.open(name, "rb") as b:
        while True:
            chunk = a.read(1 << 20)
            if chunk != b.read(1 << 20):
                return False
            if not chunk:
                return True
