"""What the Whoosh engine remembers between searches, per segment reader and per searcher.

A segment's reader is kept by the store for the next searcher while the segment and its
deletions are unchanged (see :mod:`search.whoosh.store`), so what is remembered on it survives
commits of other segments; what is remembered on a searcher is gone with it after a commit."""

from __future__ import annotations

import numpy as np


def docs_matching(searcher, query) -> set:
    """The global numbers of the live documents a filter query matches (a ``set``: Whoosh's
    ``filter=`` takes no frozenset; callers do not change it). Evaluated segment by
    segment and remembered on each segment's reader, which the store keeps for the next searcher
    while the segment and its deletions are unchanged: after a commit only the new segments are
    asked (at 100k documents, asking the whole index took ~250 ms at the first search after
    every new post)."""
    key = repr(query)
    parts = []
    for subsearcher, offset in searcher.leaf_searchers():
        cache = subsearcher.reader().__dict__.setdefault("_wn_segment_filter_docs", {})
        local = cache.get(key)
        if local is None:
            if len(cache) > 256:
                cache.clear()
            local = cache[key] = np.fromiter(subsearcher.docs_for_query(query), dtype=np.int64)
        if len(local):
            parts.append(local + offset if offset else local)
    if not parts:
        return set()
    return set((parts[0] if len(parts) == 1 else np.concatenate(parts)).tolist())
