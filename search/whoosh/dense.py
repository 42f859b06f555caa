"""Search arithmetic on arrays: which documents a query matches, their BM25F scores, counts and
facets - for all matches at once, with numpy, from posting lists decoded once per index segment.

Whoosh matches and scores document by document in Python: a frequent word at 100k documents
("Antrag": ~25,000 matches in four fields) costs 50-150 ms per search in its matchers alone
(docs/performance.md). The numbers here are the ones Whoosh's own matchers compute, as array
operations:

* a ``Term`` clause scores ``boost * BM25F(idf, tf, field length)`` with Whoosh's formula, the
  searcher's global statistics (``searcher.idf``, ``avg_field_length``), the weighting's ``B``
  and ``K1``, and the field lengths as Whoosh stores them (one byte per document and field);
* ``Prefix`` and other multi-term clauses are the ``Or`` of their words' ``Term`` clauses, as
  Whoosh's ``MultiTerm.matcher`` builds them;
* ``Or`` and ``And`` add up the scores of the clauses a document matches (Whoosh's union and
  intersection matchers), ``Require`` scores its first clause only. An ``And`` or ``Require``
  inside an ``Or`` (a compound word or its parts; one branch per content type) adds its score
  only where it matches as a whole: a document with some of an ``And``'s words but not all gets
  nothing from them, as in Whoosh's union matcher.

Anything else (phrases, ``Not``, a weighting other than BM25F) is not expressed here:
:func:`supports` says so and the caller uses Whoosh's matchers. ``tests/search/test_dense.py``
compares every number with Whoosh's.

What is cached (:mod:`search.whoosh.caches`): in each segment reader's cache (segments never
change, and their readers survive a new searcher while the segment does) the document numbers
and term frequencies of the words asked for (:func:`segment_postings`, the one cache of posting
lists in the engine), the field-length bytes and the facet terms of the fields asked for; in the
searcher's cache the masks of permission filters, facet arrays and the words of prefixes.
"""

from __future__ import annotations

import weakref

import numpy as np
from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F

from . import internals
from .caches import searcher_cache, segment_cache

#: Whoosh stores a field's length per document as one byte; this is the length each byte means.
_LENGTH_OF_BYTE = internals.LENGTH_OF_BYTE
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


class Unsupported(Exception):
    """The query has a clause the arrays do not express (Whoosh's matchers must score it)."""


# --- per segment -------------------------------------------------------------------------------


def read_postings(reader, fieldname, text, *, blocks=True):
    """``(local docnums, term frequencies)`` of one word in one segment, deleted documents
    included (callers intersect with live document sets). Whole blocks at a time from Whoosh's
    codec; ``blocks=False`` (or another codec) walks the public matcher API posting by posting."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return _EMPTY
    found = internals.block_postings(matcher) if blocks else None
    if found is not None:
        return found
    if reader.has_deletions():
        matcher = internals.postings_with_deleted(reader, fieldname, text)
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32)


def segment_postings(reader, fieldname, text):
    """``(local docnums, term frequencies)`` of one word in one segment (:func:`read_postings`),
    kept in the segment's cache: a frequent word is decoded once, not at every search."""
    return segment_cache(reader).get(("postings", fieldname, text), lambda: read_postings(reader, fieldname, text))


def read_length_bytes(reader, fieldname, *, raw=True):
    """The length byte of ``fieldname`` in every document of one segment (0: not in the
    document; :data:`_LENGTH_OF_BYTE` says which length it stands for), as Whoosh's scorers read
    it. ``raw``: the codec's byte column in one read, else document by document."""
    count = reader.doc_count_all()
    codes = np.zeros(count, dtype=np.uint8)
    if raw:
        data = internals.length_bytes(reader, fieldname)
        if data is not None:
            data = np.frombuffer(data, dtype=np.uint8)
            codes[: min(count, len(data))] = data[:count]
        return codes
    for doc in range(count):
        codes[doc] = internals.length_byte(reader.doc_field_length(doc, fieldname, 0) or 0)
    return codes


def _segment_length_bytes(reader, fieldname):
    return segment_cache(reader).get(("lengths", fieldname), lambda: read_length_bytes(reader, fieldname))


# --- per searcher ------------------------------------------------------------------------------


class View:
    """A searcher's documents as arrays (global document numbers ``0 .. size - 1``)."""

    def __init__(self, searcher):
        # Weak references: the view is an entry of the searcher's cache, and a cycle would keep an
        # old searcher's arrays alive until Python's cycle collector happens to run.
        self.searcher = weakref.proxy(searcher)
        self.size = searcher.doc_count_all()
        self.leaves = list(searcher.reader().leaf_readers())
        weighting = searcher.weighting
        self.bm25f = weighting if type(weighting) is BM25F else None
        self._cache = weakref.ref(searcher_cache(searcher))

    @property
    def cache(self):
        """The searcher's cache (:func:`search.whoosh.caches.searcher_cache`)."""
        return self._cache()

    # documents

    def mask_of(self, key, docs):
        """A boolean mask of a set of global document numbers, cached by ``key``."""

        def make():
            found = np.zeros(self.size, dtype=bool)
            if docs:
                found[np.fromiter(docs, dtype=np.int64, count=len(docs))] = True
            return found

        return self.cache.get(("mask", key), make)

    def array_of(self, key, make):
        """An array of the view's documents made by ``make()``, cached by ``key``."""
        return self.cache.get(("array", key), make)

    def term_docs(self, fieldname, text):
        """Global document numbers of one word (deleted documents included), kept in the
        searcher's cache: one search asks for the same word in several places (each type's
        branch, the ranking query, matching and scoring), and the next search for it again."""
        return self.cache.get(("term docs", fieldname, text), lambda: self._term_docs(fieldname, text))

    def _term_docs(self, fieldname, text):
        ids = []
        for reader, offset in self.leaves:
            local = segment_postings(reader, fieldname, text)[0]
            if len(local):
                ids.append(local + offset if offset else local)
        if len(ids) == 1:
            return ids[0]
        return np.concatenate(ids) if ids else _EMPTY[0]

    def term_postings(self, fieldname, text):
        """``(global docnums, term frequencies, field lengths)`` of one word."""
        ids, weights, lengths = [], [], []
        for reader, offset in self.leaves:
            local, tf = segment_postings(reader, fieldname, text)
            if len(local):
                ids.append(local + offset if offset else local)
                weights.append(tf)
                lengths.append(_segment_length_bytes(reader, fieldname)[local])
        if not ids:
            return _EMPTY[0], _EMPTY[1], np.zeros(0, dtype=np.uint8)
        return np.concatenate(ids), np.concatenate(weights), np.concatenate(lengths)

    def words(self, query):
        """The words a multi-term clause (``Prefix``, ``FuzzyTerm`` ...) stands for."""
        reader = self.searcher.reader()
        if type(query) is wq.Prefix:  # the compound clause of every word: no copy for the key
            key = ("words", "prefix", query.fieldname, query.text)
        else:
            key = ("words", query.with_boost(1.0))
        return self.cache.get(key, lambda: internals.multiterm_words(query, reader))

    # queries

    def leaves_of(self, query, boost=1.0):
        """``[(fieldname, word, boost)]``: the scored clauses of ``query`` (the words of a
        multi-term clause each on its own, as Whoosh's matcher does)."""
        boost *= query.boost
        if isinstance(query, wq.Term):
            return [(query.fieldname, query.text, boost)]
        if isinstance(query, wq.MultiTerm) and not isinstance(query, wq.Term):
            return [(query.fieldname, word, boost) for word in self.words(query)]
        if isinstance(query, wq.Require):
            return self.leaves_of(query.subqueries[0], boost)
        if type(query) in (wq.And, wq.Or) and not getattr(query, "scale", None):
            return [leaf for sub in query.subqueries for leaf in self.leaves_of(sub, boost)]
        raise Unsupported(type(query).__name__)

    def matches(self, query):
        """A boolean mask of the documents ``query`` matches (deleted ones included)."""
        if isinstance(query, (wq.Term, wq.MultiTerm)):
            mask = np.zeros(self.size, dtype=bool)
            for fieldname, word, _ in self.leaves_of(query):
                mask[self.term_docs(fieldname, word)] = True
            return mask
        if type(query) is wq.Or:
            mask = np.zeros(self.size, dtype=bool)
            for sub in query.subqueries:
                mask |= self.matches(sub)
            return mask
        if type(query) in (wq.And, wq.Require):
            parts = [self.matches(sub) for sub in query.subqueries]
            mask = parts[0]
            for part in parts[1:]:
                mask &= part
            return mask
        raise Unsupported(type(query).__name__)

    def scores(self, query):
        """Every document's score for ``query`` as Whoosh computes it for a matching document:
        the sum of the scores of the clauses it matches. Only meaningful where
        :meth:`matches` is true."""
        if self.bm25f is None:
            raise Unsupported("weighting")
        return self._scores(query, 1.0)

    def _scores(self, query, boost):
        if _flat(query):
            return self._leaf_scores(self.leaves_of(query, boost))
        # An "and" (or "require") inside an "or": summed over the leaves, a document with some of
        # the "and"'s words would get their scores, where Whoosh's union matcher adds an "and"'s
        # score only if the "and" matches. So each part of the "or" on its own, the "and"s masked.
        boost *= query.boost
        if type(query) is wq.Or:
            total = np.zeros(self.size, dtype=np.float64)
            for sub in query.subqueries:
                part = self._scores(sub, boost)
                if type(sub) in (wq.And, wq.Require):
                    part[~self.matches(sub)] = 0.0
                total += part
            return total
        if type(query) is wq.And:
            total = np.zeros(self.size, dtype=np.float64)
            for sub in query.subqueries:
                total += self._scores(sub, boost)
            return total
        if type(query) is wq.Require:
            return self._scores(query.subqueries[0], boost)
        raise Unsupported(type(query).__name__)

    def _leaf_scores(self, leaves):
        total = np.zeros(self.size, dtype=np.float64)
        for fieldname, word, boost in leaves:
            ids, score = self.term_scores(fieldname, word)
            if not len(ids):
                continue
            if boost != 1.0:
                score = score * boost
            total[ids] += score
        return total

    def term_scores(self, fieldname, word):
        """``(global docnums, BM25F scores with boost 1)`` of one word in one field, kept in the
        searcher's cache (see :meth:`term_docs`)."""
        return self.cache.get(("term scores", fieldname, word), lambda: self._term_scores(fieldname, word))

    def _term_scores(self, fieldname, word):
        ids, tf, length_bytes = self.term_postings(fieldname, word)
        if not len(ids):
            return ids, _EMPTY[1]
        weighting, searcher = self.bm25f, self.searcher
        k1 = weighting.K1
        fl = _LENGTH_OF_BYTE[length_bytes]
        b = internals.bm25f_b(weighting, fieldname)
        idf = searcher.idf(fieldname, word)
        avgfl = searcher.avg_field_length(fieldname) or 1
        tf = tf.astype(np.float64)
        # whoosh.scoring.bm25, operation for operation (the same floating-point result)
        score = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        return ids, score

    # facets

    def facet_counts(self, fieldname, mask):
        """``{term: number of documents in mask}`` over the terms of an index filter field
        (a department, a tag ...); terms with none left out. ``mask`` must hold live documents
        only (the per-segment lists include deleted ones)."""
        terms, docs, codes = self.cache.get(("facet", fieldname), lambda: self._facet(fieldname))
        counts = np.bincount(codes[mask[docs]], minlength=len(terms))
        return {terms[i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def _facet(self, fieldname):
        """``(terms, docnums, term codes)``: every (document, term) pair of a filter field."""
        docs, codes, code_of = [], [], {}
        for reader, offset in self.leaves:
            local_terms, local_docs, local_codes = _segment_facet(reader, fieldname)
            if not local_terms:
                continue
            remap = np.array([code_of.setdefault(term, len(code_of)) for term in local_terms], dtype=np.int64)
            docs.append(local_docs + offset if offset else local_docs)
            codes.append(remap[local_codes])
        terms = list(code_of)
        if docs:
            return terms, np.concatenate(docs), np.concatenate(codes)
        return terms, _EMPTY[0], _EMPTY[0]


def _segment_facet(reader, fieldname):
    """``(terms, docnums, term codes)`` of one filter field in one segment: every
    (document, term) pair, kept in the segment's cache."""

    def make():
        terms, docs = [], []
        if fieldname in reader.indexed_field_names():
            for text in reader.lexicon(fieldname):
                terms.append(text.decode("utf-8") if isinstance(text, bytes) else text)
                docs.append(read_postings(reader, fieldname, text)[0])
        sizes = [len(d) for d in docs]
        return (
            terms,
            np.concatenate(docs) if docs else _EMPTY[0],
            np.repeat(np.arange(len(terms), dtype=np.int64), sizes),
        )

    return segment_cache(reader).get(("facet", fieldname), make)


def view(searcher) -> View:
    """The searcher's :class:`View`, kept in its cache (a new searcher after a commit starts
    afresh; its unchanged segments keep their cached postings)."""
    return searcher_cache(searcher).get(("view",), lambda: View(searcher))


def supports(dv: View, query) -> bool:
    """Whether :meth:`View.matches` and :meth:`View.scores` express ``query`` exactly."""
    if dv.bm25f is None:
        return False
    try:
        leaves = dv.leaves_of(query)
        _check_matchable(query)
    except Unsupported:
        return False
    schema = dv.searcher.schema
    return all(fieldname in schema and schema[fieldname].scorable for fieldname, _, _ in leaves)


def _flat(query, inside_or=False) -> bool:
    """Whether ``query``'s score is the sum of its leaves' scores: no ``And`` or ``Require``
    inside an ``Or`` (a ``Require`` outside one scores its first clause, see ``leaves_of``)."""
    if type(query) in (wq.And, wq.Require):
        if inside_or:
            return False
        subs = query.subqueries[:1] if type(query) is wq.Require else query.subqueries
        return all(_flat(sub, inside_or) for sub in subs)
    if type(query) is wq.Or:
        return all(_flat(sub, True) for sub in query.subqueries)
    return True


def _check_matchable(query):
    if isinstance(query, (wq.Term, wq.MultiTerm)):
        return
    if type(query) in (wq.Or, wq.And, wq.Require):
        for sub in query.subqueries:
            _check_matchable(sub)
        return
    raise Unsupported(type(query).__name__)


def best(docs, scores, n):
    """The ``n`` best ``(score, docnum)`` of ``docs`` (an index array) by score, ties by the lower
    document number (Whoosh's order)."""
    if n <= 0 or not len(docs):
        return []
    values = scores[docs]
    if len(docs) > 4 * n:
        cut = np.partition(values, len(values) - n)[len(values) - n]
        keep = values >= cut
        docs, values = docs[keep], values[keep]
    order = np.lexsort((docs, -values))[:n]
    return [(float(values[i]), int(docs[i])) for i in order]
