"""The Whoosh engine's ranked search across content types: one query, one ranked list
(``WhooshSearchBackend.ranked``, called through :func:`search.unified.ranked`).

Every source's queryset carries the permission filters (visible pages, visible posts, active
people) and the user's filters, all on index filter fields, so the index answers them: each
source gives a set of allowed document numbers (cached per searcher), and one Whoosh query runs
over the union of those sets. The query is an ``Or`` of one branch per source - the text query
compiled for that model (its fields and boosts) restricted to the model's documents - so a
document is scored exactly as a search on its own model would score it, and BM25F scores of
different models are comparable (one index, shared statistics). Freshness of pages is a final
score factor for the documents of a "fresh" or "stale" set. The matching, scoring and counting
run on arrays (:mod:`search.whoosh.dense`: the numbers Whoosh's matchers compute, for all matches at
once); a query the arrays do not express (a phrase) goes through Whoosh's matchers. Counts per
type, department and tag facets are computed over *all* matches in the index, and only the
requested page of objects is loaded from the database, one query per type.

If a source's filters do not translate into the index (an index built before the filter terms
existed), the whole search falls back to the per-source search of :mod:`search.engine`, which
is correct but slower.
"""

from __future__ import annotations

import heapq
import logging

import numpy as np

from ..engine import Ranked, per_source
from . import dense
from .caches import id_column, indexed_fields, searcher_cache, segment_cache

logger = logging.getLogger(__name__)


class _Untranslated(Exception):
    """A source's filters need the database: use the database implementation."""


def _docs_set(searcher, key, make, kind=frozenset):
    """A set of global document numbers, in the searcher's cache (a new searcher after a commit
    starts afresh). Whoosh's collector filter takes a ``set``, not a ``frozenset``."""
    return searcher_cache(searcher).get(("docs", key), lambda: kind(make()))


def _allowed(searcher, compiler):
    """``(key, docs)``: the documents the compiler's queryset allows, as a frozenset."""
    docs, translated = compiler.allowed_documents(searcher)
    if not translated:
        raise _Untranslated(compiler.queryset.model)
    key = compiler.docs_key
    return key, _docs_set(searcher, ("allowed", key), lambda: docs)


def _doc_values(searcher, fieldname: str) -> dict:
    """``{global docnum: term}`` of a single-valued filter field (dates, for sorting), in the
    searcher's cache; built from per-segment maps kept in the segments' caches."""

    def segment_values(reader):
        values = {}
        if fieldname in reader.indexed_field_names():
            for text in reader.lexicon(fieldname):
                text = text.decode("utf-8") if isinstance(text, bytes) else text
                for doc in reader.postings(fieldname, text).all_ids():
                    values[doc] = text
        return values

    def make():
        result = {}
        for reader, offset in searcher.reader().leaf_readers():
            values = segment_cache(reader).get(("doc values", fieldname), lambda r=reader: segment_values(r))
            if offset:
                result.update((doc + offset, text) for doc, text in values.items())
            else:
                result.update(values)
        return result

    return searcher_cache(searcher).get(("doc values", fieldname), make)


def _weighting_with_factors(base, factors):
    """``base`` (the searcher's weighting) with a final factor for documents in given sets."""
    from whoosh import scoring

    class Adjusted(scoring.WeightingModel):
        use_final = True

        def idf(self, searcher, fieldname, text):
            return base.idf(searcher, fieldname, text)

        def scorer(self, searcher, fieldname, text, qf=1):
            return base.scorer(searcher, fieldname, text, qf=qf)

        def final(self, searcher, docnum, score):
            if base.use_final:
                score = base.final(searcher, docnum, score)
            for docs, factor, *_ in factors:
                if docnum in docs:
                    return score * factor
            return score

    return Adjusted()


def _whoosh(backend, q, sources, *, operator=None, sort="relevance", offset=0, limit=20, facets=True, coord=None):
    try:
        return _whoosh_search(backend, q, sources, operator, sort, offset, limit, facets, coord)
    except _Untranslated as exc:
        # Correct but slow (a window per type, filtered in the database): an index built before
        # its filter terms existed (run manage.py update_index), or a source with a filter the
        # index cannot answer.
        logger.warning("search: filters of %s are not answered by the index; searching per type", exc.args[0])
        return per_source(backend, q, sources, operator=operator, coord=coord)


def _merge_branches(branches):
    """One query over the ``(query, content type)`` of several models (see :func:`_merged`)."""
    from whoosh import query as wq

    from .store import CONTENT_TYPE_FIELD

    text = _merged([query for query, _ in branches])
    if text is None:
        # Each branch scored on its own model's documents only.
        restricted = [wq.Require(query, wq.Term(CONTENT_TYPE_FIELD, ct)) for query, ct in branches]
        text = restricted[0] if len(restricted) == 1 else wq.Or(restricted)
    return text


def _coord_counts(backend, searcher, dv, words, sources, matched):
    """For each document, how many of ``words`` it matches (an int array; only meaningful where
    ``matched``), each word compiled as a query of its own for every searched source. A word the
    arrays express is matched on them, any other (a phrase ...) through the posting lists /
    Whoosh's matching (:func:`_matching_docs`): the same counts either way, so both ways of
    ranking (:func:`_top_dense`, :func:`_top`) order by them alike."""
    from whoosh import query as wq

    counts = np.zeros(dv.size, dtype=np.int16)
    for word in words:
        branches = []
        for source in sources:
            compiler = backend.search(word, source.queryset, operator="and").query_compiler
            query = compiler.to_whoosh(searcher, fuzzy_fallback=backend.fuzzy_fallback).normalize()
            if query is not wq.NullQuery:
                branches.append((query, source.queryset.model._meta.concrete_model.indexed_get_content_type()))
        if not branches:
            continue
        query = _merge_branches(branches)
        if dense.supports(dv, query):
            counts += dv.matches(query) & matched
        else:
            docs = _matching_docs(searcher, query)
            if docs:
                mask = np.zeros(dv.size, dtype=bool)
                mask[np.fromiter(docs, dtype=np.int64, count=len(docs))] = True
                counts += mask & matched
    return counts


def _by_coord(counts, matched, n, top):
    """The best ``n`` of the matches, those with more of the words (``counts``) first: each group
    of matches with the same count, most first, ranked by ``top(group mask, n left)`` - the
    ranking without ``coord`` (:func:`_top_dense` or :func:`_top`, with their two tiers), so
    the array path and Whoosh's matchers give the same page."""
    found = []
    for count in sorted(set(counts[matched].tolist()), reverse=True):
        if len(found) >= n:
            break
        found += top(matched & (counts == count), n - len(found))
    return found


def _whoosh_search(backend, q, sources, operator, sort, offset, limit, facets, coord=None):
    from whoosh import query as wq

    from .caches import docs_matching
    from .filters import encode
    from .store import FILTER_PREFIX

    ranked = Ranked(paged=True, facets={} if facets else None)
    searcher = backend.store.searcher()
    if not searcher.doc_count():
        ranked.counts = {source.type: 0 for source in sources}
        return ranked
    branches, allowed, factors, keys, searched = [], {}, [], [], []
    for source in sources:
        queryset = source.queryset
        compiler = backend.search(q, queryset, operator=operator).query_compiler
        text_query = compiler.to_whoosh(searcher, fuzzy_fallback=backend.fuzzy_fallback).normalize()
        key, docs = _allowed(searcher, compiler)
        for name, value in sorted(source.index_terms.items()):
            if FILTER_PREFIX + name not in indexed_fields(searcher):
                raise _Untranslated(name)
            docs = docs & docs_matching(searcher, wq.Term(FILTER_PREFIX + name, encode(value)))
            key += ((name, value),)
        allowed[source.type] = (source, queryset, docs, key)
        ranked.counts[source.type] = 0
        if text_query is wq.NullQuery or not docs:
            continue
        keys.append(key)
        searched.append(source.type)
        content_type = queryset.model._meta.concrete_model.indexed_get_content_type()
        branches.append((text_query, content_type))
        for kwargs, factor in source.boosts:
            boosted = backend.search(q, queryset.filter(**kwargs), operator=operator).query_compiler
            boosted_key, boosted_docs = _allowed(searcher, boosted)
            factors.append((boosted_docs, factor, content_type, boosted_key))
    if not branches:
        if facets:
            ranked.facets = {}
        return ranked
    # Only the types whose own query can match: the merged query must not reach the others.
    everything = _docs_set(searcher, ("union", *keys), lambda: _union(allowed, searched), set)
    text = _merge_branches(branches)
    dv = dense.view(searcher)
    if dense.supports(dv, text):
        # Matching, scoring, counting as array operations (search/dense.py): the same numbers as
        # Whoosh's matchers, for all matches at once.
        matched = dv.matches(text) & dv.mask_of(("union", *keys), everything)
        factor = _factor_array(dv, factors)
        if sort == "date":
            items = _by_date(searcher, dv, text, matched, factor, [allowed[t][0] for t in allowed], offset + limit)
        elif coord:
            counts = _coord_counts(backend, searcher, dv, coord, [allowed[t][0] for t in searched], matched)
            items = _by_coord(counts, matched, offset + limit, lambda group, n: _top_dense(dv, text, group, n, factor))
        else:
            items = _top_dense(dv, text, matched, offset + limit, factor)
    else:
        by_coord = None
        if coord and sort != "date":

            def by_coord(matched_docs, top):
                mask = np.zeros(dv.size, dtype=bool)
                if matched_docs:
                    mask[np.fromiter(matched_docs, dtype=np.int64, count=len(matched_docs))] = True
                counts = _coord_counts(backend, searcher, dv, coord, [allowed[t][0] for t in searched], mask)
                return _by_coord(
                    counts, mask, offset + limit, lambda group, n: top({int(doc) for doc in np.flatnonzero(group)}, n)
                )

        matched_docs, items = _whoosh_matches(
            searcher, text, everything, keys, factors, sort, offset + limit, allowed, by_coord
        )
        matched = np.zeros(dv.size, dtype=bool)
        if matched_docs:
            matched[np.fromiter(matched_docs, dtype=np.int64, count=len(matched_docs))] = True
    masks = {type_: dv.mask_of(("allowed", key), docs) for type_, (_, _, docs, key) in allowed.items()}
    for type_, mask in masks.items():
        ranked.counts[type_] = int(np.count_nonzero(mask & matched))
    items = items[offset : offset + limit]
    ids = id_column(searcher)  # the same as the backend's results
    type_of, wanted = {}, {}
    for score, docnum in items:
        type_ = next((type_ for type_, mask in masks.items() if mask[docnum]), None)
        if type_ is None:
            continue
        queryset = allowed[type_][1]
        pk = queryset.model._meta.pk.to_python(ids[docnum].split(":", 1)[1])
        wanted.setdefault(type_, []).append(pk)
        type_of[docnum] = (type_, pk, float(score or 0.0))
    loaded = {}
    for type_, pks in wanted.items():
        for obj in allowed[type_][1].filter(pk__in=pks):
            loaded[(type_, obj.pk)] = obj
    for _, docnum in items:
        if docnum not in type_of:
            continue
        type_, pk, score = type_of[docnum]
        obj = loaded.get((type_, pk))
        if obj is not None:  # deleted since the searcher opened
            ranked.hits.append((type_, obj, score))
    if facets:
        for type_, (source, _, _, _) in allowed.items():
            mine = masks[type_] & matched
            if not source.facet_fields or not mine.any():
                continue
            for facet, fieldname in source.facet_fields.items():
                counts = dv.facet_counts(FILTER_PREFIX + fieldname, mine)
                ranked.facets.setdefault(facet, {})[type_] = _plain(counts)
    return ranked


def _plain(counts: dict) -> dict:
    """Facet counts by the index's encoded terms -> by plain values (ids, slugs), as every engine
    returns them (``Ranked.facets``); the term of "no value" is left out."""
    from .filters import decode

    plain = {}
    for term, n in counts.items():
        value = decode(term)
        if value is not None:
            plain[value] = plain.get(value, 0) + n
    return plain


def _collect(searcher, query, allow, collector, factors):
    from whoosh.collectors import FilterCollector

    base_weighting = searcher.weighting
    if factors:
        searcher.weighting = _weighting_with_factors(base_weighting, factors)
    try:
        searcher.search_with_collector(query, FilterCollector(collector, allow=allow))
    finally:
        searcher.weighting = base_weighting


def _top(searcher, query, allow, n, factors, matched):
    """The best ``n`` ``(score, docnum)`` among ``allow``, scores times the documents' factors.
    The documents without a factor: Whoosh's top collector (skipping blocks that cannot reach
    the top). The documents with one (reviewed pages: few) that match are scored one by one.
    Merged by adjusted score this is exactly the best ``n``.

    The compound-word clauses (``Prefix`` on the reversed-word field: "Antrag" in "Bauantrag")
    decide *what* matches (``matched``, computed from the posting lists) but only add a small
    near-constant to the scores; in the ranking pass they would stop Whoosh from skipping blocks
    (a prefix over many words has no block quality) and cost most of the search time. So the
    page is ranked in two tiers: the matches with at least one whole word, by a ranking query
    without those clauses (:func:`_ranking_query`); after them, if the page is not full yet, the
    matches found only inside compounds, scored with the full query."""
    if n <= 0:
        return []
    candidates = allow.intersection(matched) if len(matched) < len(allow) else matched.intersection(allow)
    if len(candidates) <= DIRECT_SCORING_LIMIT:
        # Few matches: score exactly those (a matcher walking the words' posting lists would
        # visit every document with any of the words, and throw most of them away).
        factor_of = {}
        for docs, factor, _ in factors:
            for doc in docs.intersection(candidates):
                factor_of[doc] = factor
        found = [(score * factor_of.get(doc, 1.0), doc) for score, doc in _scores(searcher, query, candidates)]
        return heapq.nsmallest(n, found, key=lambda item: (-item[0], item[1]))
    rank = _ranking_query(query)
    if rank is None:
        return _top_scored(searcher, query, allow, n, factors, matched)
    found = _top_scored(searcher, rank, candidates, n, factors, matched)
    if len(found) < n:
        whole_words = _matching_docs(searcher, rank)
        rest = [doc for doc in candidates if doc not in whole_words]
        if rest:
            factor_of = {}
            for docs, factor, _ in factors:
                for doc in docs.intersection(rest):
                    factor_of[doc] = factor
            tail = [(score * factor_of.get(doc, 1.0), doc) for score, doc in _scores(searcher, query, rest)]
            tail.sort(key=lambda item: (-item[0], item[1]))
            found.extend(tail[: n - len(found)])
    return found


def _ranking_query(query):
    """``query`` without its compound-word clauses, every word optional (``Or``): what orders the
    matches that contain at least one whole word. None if ``query`` is not the merged shape
    (a word, or ``And`` of words, each a clause or an ``Or`` of clauses) or has no such clause."""
    from whoosh import query as wq

    from .store import COMPOUND_FIELD

    def strip(word):
        leaves = _leaves(word)
        if leaves is None:
            return None, False
        kept = [leaf for leaf in leaves if not (isinstance(leaf, wq.Prefix) and leaf.fieldname == COMPOUND_FIELD)]
        return kept, len(kept) != len(leaves)

    words = query.subqueries if isinstance(query, wq.And) else [query]
    clauses, stripped = [], False
    for word in words:
        kept, changed = strip(word)
        if kept is None:
            return None
        stripped = stripped or changed
        if kept:
            clauses.append(kept[0] if len(kept) == 1 else wq.Or(kept))
    if not stripped or not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.Or(clauses)


def _top_scored(searcher, query, allow, n, factors, matched):
    from whoosh.collectors import TopCollector

    rest = allow
    found = []
    for docs, factor, _ in factors:
        rest = rest.difference(docs)
        candidates = docs.intersection(matched)
        found.extend((score * factor, docnum) for score, docnum in _scores(searcher, query, candidates))
    # Block-quality skipping breaks (an assertion in whoosh3's IntersectionMatcher) on an "and"
    # inside an "or" whose clauses share documents (a compound word or its parts, both in the
    # index since parts are indexed): such queries walk every block.
    collector = TopCollector(limit=n, usequality=not _and_inside_or(query))
    _collect(searcher, query, rest, collector, [])
    found.extend(collector.results().top_n)
    found.sort(key=lambda item: (-item[0], item[1]))
    return found[:n]


def _and_inside_or(query) -> bool:
    from whoosh import query as wq

    if isinstance(query, wq.Or) and any(isinstance(sub, wq.And) for sub in query.subqueries):
        return True
    return any(_and_inside_or(sub) for sub in getattr(query, "subqueries", ()))


def _scores(searcher, query, docnums):
    """``[(score, docnum)]`` of the given matching documents, scored as a collector scores them
    (per segment, with the segment's own matcher)."""
    if not docnums:
        return []
    wanted = sorted(docnums)
    result = []
    context = searcher.context()
    for subsearcher, offset in searcher.leaf_searchers():
        end = offset + subsearcher.doc_count_all()
        local = [doc - offset for doc in wanted if offset <= doc < end]
        if not local:
            continue
        matcher = query.matcher(subsearcher, context)
        for doc in local:
            if not matcher.is_active():
                break
            if matcher.id() < doc:
                matcher.skip_to(doc)
            if matcher.is_active() and matcher.id() == doc:
                result.append((matcher.score(), doc + offset))
    return result


def _factor_sets(searcher, keys, everything, factors):
    """``[(allowed docs with this factor, factor, content type)]``, in the searcher's cache."""
    if not factors:
        return []
    key = ("factor sets", tuple(keys), tuple((docs_key, factor) for _, factor, _, docs_key in factors))
    return searcher_cache(searcher).get(
        key, lambda: [(set(everything.intersection(docs)), f, ct) for docs, f, ct, *_ in factors]
    )


#: Up to this many matches are scored one by one instead of by Whoosh's top collector.
DIRECT_SCORING_LIMIT = 500


def _postings(reader, fieldname, text) -> set:
    """The global document numbers of ``text`` in ``fieldname`` (from the posting lists in the
    segments' caches, :func:`search.whoosh.dense.segment_postings`). Deleted documents may be
    listed; every caller intersects with the allowed documents, which come from the live index."""
    result = set()
    for leaf, offset in reader.leaf_readers():
        local = dense.segment_postings(leaf, fieldname, text)[0]
        if len(local):
            result.update((local + offset if offset else local).tolist())
    return result


def _matching_docs(searcher, query) -> set:
    """Every document number ``query`` matches, unscored: straight from the posting lists for
    terms, prefixes, and/or (much cheaper than walking Whoosh's matcher tree), Whoosh's own
    matching for anything else."""
    from whoosh import query as wq

    reader = searcher.reader()

    def docs(q) -> set:
        if isinstance(q, wq.Term):
            return _postings(reader, q.fieldname, q.text)
        if isinstance(q, wq.Prefix):
            result = set()
            for text in reader.expand_prefix(q.fieldname, q.text):
                result.update(_postings(reader, q.fieldname, text))
            return result
        if isinstance(q, wq.Or):
            result = set()
            for sub in q.subqueries:
                result.update(docs(sub))
            return result
        if isinstance(q, (wq.And, wq.Require)):
            parts = sorted((docs(sub) for sub in q.subqueries), key=len)
            result = parts[0]
            for part in parts[1:]:
                result.intersection_update(part)
            return result
        return set(searcher.docs_for_query(q))

    return docs(query)


def _leaves(query):
    """The leaf clauses of a query that is a clause or an ``Or`` of clauses (nested), or None."""
    from whoosh import query as wq

    if isinstance(query, wq.Or):
        leaves = []
        for sub in query.subqueries:
            found = _leaves(sub)
            if found is None:
                return None
            leaves.extend(found)
        return leaves
    if isinstance(query, (wq.Term, wq.Prefix, wq.Phrase)):
        return [query]
    return None


def _leaf_key(query):
    words = tuple(query.words) if hasattr(query, "words") else query.text
    return (type(query).__name__, query.fieldname, words)


def _merge_leaves(groups):
    """One ``Or`` over the distinct clauses of several ``Or`` queries, each clause once (with
    the highest boost any model gives it)."""
    from whoosh import query as wq

    best: dict = {}
    for leaves in groups:
        for leaf in leaves:
            key = _leaf_key(leaf)
            if key not in best or leaf.boost > best[key].boost:
                best[key] = leaf
    clauses = list(best.values())
    return clauses[0] if len(clauses) == 1 else wq.Or(clauses)


def _merged(queries):
    """The per-model text queries as one query over every model's fields, or None if their shapes
    differ. Each model's query is an ``Or`` of clauses on its own fields (``t__text`` for posts,
    ``t__title`` for pages ...) per word, and a document only has its own model's fields, so
    matching is the same as per model; a clause several models share (the compound field, a
    field name two models have) is asked once instead of once per model - with one boost, the
    highest, where models differ."""
    from whoosh import query as wq

    if len(queries) == 1:
        return queries[0]
    if all(isinstance(q, wq.And) for q in queries):
        lengths = {len(q.subqueries) for q in queries}
        if len(lengths) != 1:
            return None
        words = []
        for position in range(lengths.pop()):
            groups = [_leaves(q.subqueries[position]) for q in queries]
            if any(group is None for group in groups):
                return None
            words.append(_merge_leaves(groups))
        return wq.And(words)
    groups = [_leaves(q) for q in queries]
    if any(group is None for group in groups):
        return None
    return _merge_leaves(groups)


def _union(allowed, types):
    result = set()
    for type_ in types:
        result.update(allowed[type_][2])
    return result


def _whoosh_matches(searcher, text, everything, keys, factors, sort, n, allowed, by_coord=None):
    """``(set of matching docnums, best n items)`` through Whoosh's matchers: for the queries
    the arrays do not express (phrases, ``Not`` ...). ``by_coord(matched, top)``: the page
    ranked with the matches of more words first (see :func:`_by_coord`), ``top(group, n)``
    ranking one group of matches."""
    from .store import FILTER_PREFIX

    if sort == "date":
        # Every match scored (for the hits' scores) and ordered by date; the collector also
        # remembers every match (its docset) for counts and facets.
        from whoosh.collectors import UnlimitedCollector

        collector = UnlimitedCollector()
        _collect(searcher, text, everything, collector, factors)
        date_of = _date_keys(searcher, [allowed[t][0] for t in allowed], FILTER_PREFIX)
        items = heapq.nlargest(n, collector.results().top_n, key=lambda item: (date_of(item[1]), item[0]))
        return collector.docset, items
    # The page by relevance (Whoosh skips what cannot reach it), and the set of all matches
    # (not scored) for counts and facets.
    matched = _matching_docs(searcher, text).intersection(everything)
    factor_sets = _factor_sets(searcher, keys, everything, factors)
    if by_coord is not None:
        return matched, by_coord(matched, lambda group, size: _top(searcher, text, group, size, factor_sets, group))
    return matched, _top(searcher, text, everything, n, factor_sets, matched)


def _factor_array(dv, factors):
    """Every document's final score factor (1.0 where none applies; the first factor that
    applies wins, as in :func:`_weighting_with_factors`), kept in the searcher's cache."""
    key = ("factors", *((docs_key, factor) for _, factor, _, docs_key in factors))

    def make():
        found = np.ones(dv.size, dtype=np.float64)
        for docs, factor, _, docs_key in reversed(factors):
            found[dv.mask_of(("allowed", docs_key), docs)] = factor
        return found

    return dv.array_of(key, make)


def _top_dense(dv, query, matched, n, factor):
    """:func:`_top` on arrays: the same two tiers (whole-word matches ranked without the
    compound-word clauses, then compound-only matches) and the same direct scoring of few
    matches with the full query."""
    if n <= 0:
        return []
    docs = np.flatnonzero(matched)
    rank = None if len(docs) <= DIRECT_SCORING_LIMIT else _ranking_query(query)
    if rank is None:
        return dense.best(docs, dv.scores(query) * factor, n)
    whole = dv.matches(rank)
    found = dense.best(docs[whole[docs]], dv.scores(rank) * factor, n)
    if len(found) < n:
        found += dense.best(docs[~whole[docs]], dv.scores(query) * factor, n - len(found))
    return found


def _by_date(searcher, dv, query, matched, factor, sources, n):
    """The ``n`` newest matches as ``(score, docnum)``, ties by score."""
    from .store import FILTER_PREFIX

    docs = np.flatnonzero(matched)
    scores = (dv.scores(query) * factor)[docs]
    date_of = _date_keys(searcher, sources, FILTER_PREFIX)
    items = zip(scores.tolist(), docs.tolist(), strict=True)
    return heapq.nlargest(n, items, key=lambda item: (date_of(item[1]), item[0]))


def _date_keys(searcher, sources, prefix):
    """A function docnum -> sortable date term ("" if none) from the sources' date fields."""
    maps = []
    for source in sources:
        for fieldname in source.date_fields:
            maps.append(_doc_values(searcher, prefix + fieldname))

    def key(docnum):
        for values in maps:
            value = values.get(docnum)
            if value and value[0] == "t":
                return value
        return ""

    return key


def ranked(backend, q, sources, *, operator=None, sort="relevance", offset=0, limit=20, facets=True, coord=None):
    """See :func:`search.unified.ranked`."""
    return _whoosh(
        backend, q, sources, operator=operator, sort=sort, offset=offset, limit=limit, facets=facets, coord=coord
    )
