"""What the Whoosh engine remembers between searches: one :class:`Cache` per searcher and one per
segment reader, each with the same rule - a byte budget, least recently used entries dropped first.

* :func:`segment_cache`: what only depends on one segment (its words' posting lists, field
  lengths, filter and facet terms, word lists for the typo search). A segment's reader is kept by
  the store for the next searcher while the segment and its deletions are unchanged (see
  :mod:`search.whoosh.store`), so this survives commits of other segments: after a commit only
  the new segments are read.
* :func:`searcher_cache`: what depends on the whole index as one searcher sees it (sets of global
  document numbers, masks, facet arrays, facts about the index's words, the id column). A new
  searcher after a commit starts afresh, so nothing is stale after a write.

Caches hang off their searcher or reader by a weak reference: they go with it, and nothing is
written onto Whoosh's objects. Sizes are estimates (:func:`size_of`), close for arrays and
strings, rough for Python sets and dicts.
"""

from __future__ import annotations

import sys
import threading
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

#: Bytes one segment reader's cache may hold. The posting lists of frequent words are the bulk
#: (12 bytes per posting: at 100k documents "Antrag" has ~25,000 postings in a field).
SEGMENT_BUDGET = 48 * 2**20
#: Bytes one searcher's cache may hold: permission sets (a Python set of n documents ~70 n
#: bytes), masks (one byte per document), facet arrays, date maps, lexicon facts. At 10k documents
#: the benchmark's eight queries in both sort orders leave 5.3 MB here (and 2.6 MB in the two
#: segments' caches); the sets grow with the index, so at 100k about ten times that, which
#: must fit, or every search would compute its permission sets anew.
SEARCHER_BUDGET = 128 * 2**20
#: Counted for every entry besides its value (the key and the bookkeeping), so that many small
#: entries (document frequencies, typo candidates) are bounded too.
ENTRY_OVERHEAD = 200


def size_of(value) -> int:
    """About how many bytes ``value`` holds (not counting objects it only refers to: a value
    that merely points at a reader or a searcher is counted at a nominal size)."""
    if isinstance(value, np.ndarray):
        return value.nbytes + 112
    if isinstance(value, (str, bytes)):
        return sys.getsizeof(value)
    if isinstance(value, array):
        return value.itemsize * len(value) + 64
    if isinstance(value, (set, frozenset, dict)):
        return sys.getsizeof(value) + 32 * len(value)  # the int objects of document numbers
    if isinstance(value, (list, tuple)):
        return sys.getsizeof(value) + sum(size_of(item) for item in value)
    if value is None or isinstance(value, (bool, int, float)):
        return 32
    return 1024


class Cache:
    """Entries by key within a byte budget; when a new entry goes over it, the least recently
    used entries are dropped. An entry larger than the whole budget is computed but not kept.
    Thread-safe (the lock is not held while a value is computed)."""

    def __init__(self, budget: int):
        self._budget = budget
        self.size = 0
        self._entries: OrderedDict = OrderedDict()  # key -> (value, size)
        self._lock = threading.Lock()

    @property
    def budget(self) -> int:
        return self._budget

    @budget.setter
    def budget(self, budget: int) -> None:
        """A new budget; entries over it are dropped at once."""
        with self._lock:
            self._budget = budget
            self._trim()

    def _trim(self) -> None:
        while self.size > self._budget:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.size -= dropped

    def get(self, key: Hashable, make: Callable[[], object]):
        """The value of ``key``, made by ``make()`` and kept if not there yet."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry[0]
        value = make()
        self.put(key, value)
        return value

    def put(self, key: Hashable, value) -> None:
        size = size_of(value) + ENTRY_OVERHEAD
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            if size > self._budget:
                return
            self._entries[key] = (value, size)
            self.size += size
            self._trim()

    def __contains__(self, key) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)


_segment_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_searcher_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_of(caches, owner, budget) -> Cache:
    cache = caches.get(owner)
    if cache is None:
        with _caches_lock:
            cache = caches.get(owner)
            if cache is None:
                cache = caches[owner] = Cache(budget)
    return cache


def segment_cache(reader) -> Cache:
    """The cache of one segment's reader (a leaf of ``searcher.reader().leaf_readers()``).
    Its values must not refer to the reader (the cache would keep it alive)."""
    return _cache_of(_segment_caches, reader, SEGMENT_BUDGET)


def searcher_cache(searcher) -> Cache:
    """The cache of one searcher. Its values must not refer to the searcher (use a weak proxy)."""
    return _cache_of(_searcher_caches, searcher, SEARCHER_BUDGET)


def docs_matching(searcher, query) -> set:
    """The global numbers of the live documents a filter query matches (a ``set``: Whoosh's
    ``filter=`` takes no frozenset; callers do not change it). Evaluated segment by
    segment and remembered in each segment's cache, which lives as long as the store keeps the
    reader (while the segment and its deletions are unchanged): after a commit only the new
    segments are asked (at 100k documents, asking the whole index took ~250 ms at the first
    search after every new post)."""
    key = ("filter docs", repr(query))
    parts = []
    for subsearcher, offset in searcher.leaf_searchers():
        local = segment_cache(subsearcher.reader()).get(
            key, lambda s=subsearcher: np.fromiter(s.docs_for_query(query), dtype=np.int64)
        )
        if len(local):
            parts.append(local + offset if offset else local)
    if not parts:
        return set()
    return set((parts[0] if len(parts) == 1 else np.concatenate(parts)).tolist())


def indexed_fields(searcher) -> frozenset:
    """The names of the fields the searcher's index holds terms for."""
    return searcher_cache(searcher).get(("indexed fields",), lambda: frozenset(searcher.reader().indexed_field_names()))


def id_column(searcher):
    """The searcher's column of document keys (``ID_FIELD``, ``"<content type>:<pk>"`` by global
    document number), opened once per searcher."""
    from .store import ID_FIELD

    reader = searcher.reader()
    return searcher_cache(searcher).get(("id column",), lambda: reader.column_reader(ID_FIELD))
