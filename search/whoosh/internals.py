"""Every use of whoosh3's private parts, in one place (issue 14).

The engine relies on a few things whoosh3 does not document: attributes with a leading
underscore, undocumented classes and how its codec stores postings and field lengths. Each is
behind one small function here, and nowhere else in :mod:`search.whoosh`; the rest of the package
uses Whoosh's public API (query classes, ``searcher.reader()``, ``postings``, ``lexicon``,
``leaf_readers``, ``scoring.BM25F`` ...).

whoosh3 is pinned exactly in ``requirements.in`` (and so in the lock ``requirements.txt``) (:data:`PINNED_VERSION`), and
``tests/search/test_whoosh_internals.py`` runs every function below against a real index: after
an upgrade, a failure there names the function whose Whoosh internal changed. Check each one
against the new version's source (``.venv/lib/python3.11/site-packages/whoosh/``, the file named
in the function's docstring) before moving the pin.
"""

from __future__ import annotations

import random

import numpy as np
import whoosh.util
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length, length_to_byte

#: The whoosh3 version these functions were written and tested against (``requirements.in``).
PINNED_VERSION = "3.54.0"


# --- writing -----------------------------------------------------------------------------------


def use_unseeded_random_names() -> None:
    """Makes Whoosh draw segment and temporary file names from ``random.SystemRandom``, which no
    ``random.seed`` reaches (see "Segment names" in :mod:`search.whoosh.store`).
    ``whoosh/util/__init__.py``: ``random_name`` looks up the module-level name ``random`` when
    called, and every Whoosh module imports ``random_name`` from there."""
    whoosh.util.random = random.SystemRandom()


def glob_fields(schema) -> dict:
    """``{pattern: field type}`` of a schema's glob fields (``schema.add(..., glob=True)``).
    ``whoosh/fields.py``: ``Schema._dyn_fields``, ``{pattern: (compiled regex, field type)}``."""
    return {pattern: entry[1] if isinstance(entry, tuple) else entry for pattern, entry in schema._dyn_fields.items()}


# --- opening segments ----------------------------------------------------------------------------


def read_toc(ix):
    """The index's newest table of contents (``.segments``, ``.schema``, ``.generation``), read
    from disk now. ``whoosh/index.py``: ``FileIndex._read_toc``."""
    return ix._read_toc()


def open_segment_reader(ix, toc, segment):
    """A reader of one segment of ``toc`` (what ``FileIndex.reader()`` builds for each segment).
    ``whoosh/reading.py``: ``SegmentReader(storage, schema, segment, generation=...)``."""
    return SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)


def pin_columns(reader, names: list[str]) -> bool:
    """Opens every column file of a new segment reader at once (``names``: the index directory's
    files) and lets the reader answer "has this column?" from what it opened (see
    :func:`search.whoosh.store._pin_columns` for why). Returns whether it did (not for a compound
    segment, which is one file opened with the reader). ``whoosh/codec/whoosh3.py``:
    ``SegmentReader._perdoc`` is a ``W3PerDocReader``, its open column files are in
    ``_colfiles`` (``{fieldname: (file, offset, length)}``), opened by ``_get_column_file``;
    ``has_column`` otherwise asks the storage whether the file exists."""
    perdoc = reader._perdoc
    segment = reader.segment()
    if type(perdoc) is not W3PerDocReader or segment.is_compound():
        return False
    prefix, ext = segment.segment_id() + ".", W3Codec.COLUMN_EXT
    for name in names:
        if name.startswith(prefix) and name.endswith(ext):
            fieldname = name[len(prefix) : -len(ext)]
            if fieldname not in perdoc._colfiles:
                perdoc._colfiles[fieldname] = perdoc._get_column_file(fieldname)
    perdoc.__class__ = _PinnedPerDocReader
    return True


class _PinnedPerDocReader(W3PerDocReader):
    """A segment's per-document reader whose column files were all opened with it."""

    def has_column(self, fieldname):
        return fieldname in self._colfiles


# --- postings and field lengths ------------------------------------------------------------------

_BLOCK_PARTS = ("_read_ids", "_read_weights", "_next_block", "_atend")


def block_postings(matcher):
    """``(docnums int64, frequencies float32)`` of a term's whole posting list, read block by
    block from the codec (deleted documents included), or ``None`` if ``matcher`` is not over
    Whoosh's block codec (then walk it with the public matcher API). ``whoosh/codec/whoosh3.py``:
    ``W3LeafMatcher`` (under ``FilterMatcher`` wrappers, ``.child``) decodes a block with
    ``_read_ids`` / ``_read_weights`` into ``_ids`` / ``_weights``, ``_next_block`` moves on,
    ``_atend`` says the list is done."""
    while not hasattr(matcher, "_read_ids") and hasattr(matcher, "child"):
        matcher = matcher.child
    if not all(hasattr(matcher, name) for name in _BLOCK_PARTS):
        return None
    ids, weights = [], []
    while not matcher._atend and matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int64))
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        matcher._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


def postings_with_deleted(reader, fieldname, text):
    """A matcher over one segment's posting list of ``text`` that also lists deleted documents
    (``reader.postings`` leaves them out). ``whoosh/reading.py``: ``SegmentReader._terms``
    (the codec's terms reader) and ``_text_to_bytes``."""
    return reader._terms.matcher(fieldname, reader._text_to_bytes(fieldname, text), reader.schema[fieldname].format)


def length_bytes(reader, fieldname):
    """The stored length byte of ``fieldname`` for every document of one segment, as ``bytes``
    in one read (``None`` if no document has the field). ``whoosh/codec/whoosh3.py``:
    ``W3PerDocReader._cached_reader(_lenfield(name), LENGTHS_COLUMN)``, a ``NumericColumn("B")``
    reader whose bytes are ``_dbfile.get(_basepos, _count)``."""
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return column._dbfile.get(column._basepos, column._count)


#: ``LENGTH_OF_BYTE[b]``: the field length a stored length byte stands for. Whoosh keeps a
#: field's length in one byte per document (``whoosh/util/numeric.py``: ``byte_to_length``).
LENGTH_OF_BYTE = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


def length_byte(length: int) -> int:
    """The byte Whoosh stores for a field ``length`` (``whoosh/util/numeric.py``)."""
    return length_to_byte(length)


# --- queries and scoring -------------------------------------------------------------------------


def multiterm_words(query, reader) -> list:
    """The index words a multi-term clause (``Prefix``, ``FuzzyTerm`` ...) stands for, as its
    matcher expands it. ``whoosh/query/terms.py``: ``MultiTerm._btexts(reader)``."""
    return [word for word in query._btexts(reader) if word]


def bm25f_b(weighting, fieldname: str) -> float:
    """BM25F's ``B`` for ``fieldname`` (``fieldname_B=`` or the general ``B``).
    ``whoosh/scoring.py``: ``BM25F._field_B``."""
    return weighting._field_B.get(fieldname, weighting.B)


def words_accepted(dfa, cursor):
    """The words under a field cursor (``reader.cursor(fieldname)``) that ``dfa`` accepts, in
    order, skipping from one possible match to the next. ``whoosh/codec/base.py``:
    ``Automata.find_matches``."""
    return Automata.find_matches(dfa, cursor)
