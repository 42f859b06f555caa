"""A Wagtail 8 / modelsearch search backend on Whoosh, with the index on disk.

Configured as ``{"BACKEND": "search.whoosh", "PATH": "/var/lib/wissensnetz/search-index"}`` in
``WAGTAILSEARCH_BACKENDS`` (Wagtail) / ``MODELSEARCH_BACKENDS`` (modelsearch). Options:

``PATH``            index directory (created if missing)
``REBUILD_PROCS``   processes for ``manage.py update_index`` (default: the CPUs this process may
                    use, at most 4; 1 indexes in the command's own process)
``FUZZY_FALLBACK``  retry words the index has never seen with the words a typo away from them,
                    by the rule of ``search.typos`` (default True)

How a search runs
-----------------
Whoosh answers the text part: which documents of the searched model (or its subclasses) match,
with BM25F scores, field boosts from ``SearchField(boost=...)`` and German analysis
(``search.analysis``). The database answers everything the queryset says: filters, ordering,
facets. Objects are always loaded through the caller's queryset, so nothing the queryset excludes
can be shown or counted, even if the index were out of date.

* No filter on the queryset, ordered by relevance (the common case): Whoosh returns only the
  requested slice and the exact count; one database query loads that slice.
* Filters, or ``order_by_relevance=False``: Whoosh returns all matching ids; the database keeps
  the ones the queryset allows, in its own order, and loads the requested slice.

Indexing: one Whoosh document per object, keyed by ``<top-level content type>:<pk>``, listing
the content types of the object's class and all its indexed parents (so a search on ``Page``
finds every page type, a search on ``HomePage`` only home pages). Writes go through the
spool of :mod:`search.whoosh.store` and never wait on the index lock.
"""

from __future__ import annotations

import datetime
import decimal
import logging
import os
import re
import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterator
from functools import cache

from django.db.models import Count, Manager
from django.utils.encoding import force_str
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterFieldError,
)
from modelsearch.index import (
    AutocompleteField,
    RelatedFields,
    SearchField,
    class_is_indexed,
    get_indexed_models,
)
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import query as wq

from .. import typos
from ..analysis import autocomplete_query_terms, compound_parts, query_terms
from ..indexing import prefetch_tags as _prefetch_tags
from . import internals
from .caches import docs_matching, id_column, indexed_fields, searcher_cache
from .filters import FilterTranslationMixin, Untranslatable, filter_terms
from .store import (
    AUTOCOMPLETE_PREFIX,
    COMPOUND_FIELD,
    CONTENT_TYPE_FIELD,
    FILTER_PREFIX,
    ID_FIELD,
    PARTS_FIELD,
    SPELLING_FIELD,
    TEXT_PREFIX,
    RebuildIncomplete,
    get_store,
)
from .suggest import typed_form, words_within

logger = logging.getLogger(__name__)

#: Weight of a compound-word match ("Antrag" in "Bauantrag") relative to a whole-word match
#: in a field of boost 1; low enough that exact matches stay on top.
COMPOUND_BOOST = 0.15
#: A word found as a part of a compound (PARTS_FIELD), against 1.0 for the word itself.
PARTS_BOOST = 0.3
#: Weight of a word-beginning match in a ``partial_match=True`` field, relative to the word.
PARTIAL_BOOST = 0.5
#: Words shorter than this are not looked up inside compounds ("an" would match everything).
COMPOUND_MIN_LENGTH = 3
#: Weight of a fuzzy match, and how many close words are tried at most (closest and most
#: frequent first). Which words are close, by the length of the typed word: ``search.typos``.
FUZZY_BOOST = 0.5
FUZZY_MAX_CANDIDATES = 20
#: Above this many matches, the database check scans the queryset's ids instead of an IN list.
IN_LIST_LIMIT = 2000
FILTER_GLOB = FILTER_PREFIX + "*"
IN_CHUNK = 500


# --- which fields a model is searched on -------------------------------------------------------


def _concrete(model):
    return model._meta.concrete_model


def content_types_of(model) -> list[str]:
    """The content type of ``model`` and of each indexed parent, most specific first."""
    model = _concrete(model)
    result = []
    while model is not None:
        result.append(model.indexed_get_content_type())
        model = model.indexed_get_parent()
    return result


def _walk_fields(search_fields, field_class, prefix="") -> Iterator[tuple[str, object]]:
    for field in search_fields:
        if isinstance(field, RelatedFields):
            yield from _walk_fields(field.fields, field_class, prefix + field.field_name + "__")
        elif isinstance(field, field_class):
            yield prefix + field.field_name, field


@cache
def _model_field_boosts(model, field_class) -> tuple[tuple[str, float], ...]:
    """(path, boost) of every ``field_class`` field of ``model`` and its indexed subclasses:
    a search on a parent model also matches text only subclasses index (Novel.setting when
    searching Book)."""
    boosts: dict[str, float] = {}
    for path, field in _model_fields(model, field_class):
        boost = float(getattr(field, "boost", None) or 1.0)
        boosts[path] = max(boosts.get(path, boost), boost)
    return tuple(boosts.items())


@cache
def _partial_match_paths(model) -> frozenset[str]:
    """Paths of ``SearchField(..., partial_match=True)``: a word there also matches words it
    begins ("Genehmigung" finds "Genehmigungsverfahren")."""
    return frozenset(path for path, field in _model_fields(model, SearchField) if field.kwargs.get("partial_match"))


def _model_fields(model, field_class):
    models = [m for m in get_indexed_models() if issubclass(m, model)]
    if model not in models:
        models.insert(0, model)
    for m in models:
        yield from _walk_fields(m.get_search_fields(), field_class)


# --- documents --------------------------------------------------------------------------------


_WORDS = re.compile(r"\w+")


def _to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)):
        return "\n".join(t for t in (_to_text(v) for v in value) if t)
    if isinstance(value, dict):
        return "\n".join(t for t in (_to_text(v) for v in value.values()) if t)
    if isinstance(value, (datetime.date, datetime.time, decimal.Decimal, uuid.UUID, int, float)):
        return str(value)
    return force_str(value)


def _related_objects(field: RelatedFields, obj) -> list:
    value = field.get_value(obj)
    if value is None:
        return []
    if isinstance(value, Manager):
        return list(value.all())
    if callable(value):
        value = value()
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _collect(obj, search_fields, texts: dict, autocomplete: dict, prefix: str = "") -> None:
    for field in search_fields:
        if isinstance(field, RelatedFields):
            for sub in _related_objects(field, obj):
                _collect(sub, field.fields, texts, autocomplete, prefix + field.field_name + "__")
        elif isinstance(field, (SearchField, AutocompleteField)):
            text = _to_text(field.get_value(obj))
            if not text:
                continue
            target = texts if isinstance(field, SearchField) else autocomplete
            target.setdefault(prefix + field.field_name, []).append(text)


def document_id(obj) -> str:
    return f"{_concrete(type(obj)).indexed_get_toplevel_content_type()}:{obj.pk}"


def build_document(obj) -> dict:
    texts: dict[str, list[str]] = {}
    autocomplete: dict[str, list[str]] = {}
    _collect(obj, obj.get_search_fields(), texts, autocomplete)
    doc = {
        ID_FIELD: document_id(obj),
        CONTENT_TYPE_FIELD: " ".join(content_types_of(type(obj))),
    }
    all_text = []
    for path, values in texts.items():
        text = "\n".join(values)
        doc[TEXT_PREFIX + path] = text
        all_text.append(text)
    for path, values in autocomplete.items():
        doc[AUTOCOMPLETE_PREFIX + path] = "\n".join(values)
    if all_text:
        # Each distinct word once: these two fields only need to know which words a document
        # has (compound heads, spelling vocabulary), and analysing repeats costs indexing time.
        words = " ".join(dict.fromkeys(_WORDS.findall("\n".join(all_text).lower())))
        doc[COMPOUND_FIELD] = words
        doc[SPELLING_FIELD] = words
        parts = " ".join(dict.fromkeys(part for word in words.split() for part in compound_parts(word)))
        if parts:
            doc[PARTS_FIELD] = parts
    doc.update(filter_terms(obj))
    return doc


# --- index ------------------------------------------------------------------------------------


class WhooshIndex(BaseIndex):
    """The one index of this backend; holds every indexed model."""

    def __init__(self, backend):
        super().__init__(backend)
        self.store = backend.store

    def get_key(self):
        return str(self.store.path)

    def __str__(self):
        return f"whoosh:{self.store.path}"

    def refresh(self):
        # Apply anything spooled and move this thread's searcher to the latest commit.
        self.store.flush(timeout=1.0)
        self.store.searcher()

    def reset(self):
        self.store.reset()

    def prepare(self, model, items) -> list[tuple[str, object]]:
        if not class_is_indexed(model):
            return []
        items = list(items)
        _prefetch_tags(model, items)
        return [("add", build_document(obj)) for obj in items]

    def add_items(self, model, items):
        self.store.write(self.prepare(model, items))

    def add_item(self, obj):
        self.add_items(obj._meta.model, [obj])

    def delete_item(self, item):
        self.store.write([("delete", document_id(item))])


class WhooshRebuildingIndex(WhooshIndex):
    """What a rebuild writes to: documents go straight into the rebuild's writer (one commit
    at the end, in :meth:`WhooshRebuilder.finish`)."""

    def __init__(self, backend, writer):
        super().__init__(backend)
        self.writer = writer

    added = 0

    def add_items(self, model, items):
        for _op, doc in self.prepare(model, items):
            self.writer.add_document(**doc)
            self.added += 1


def default_rebuild_procs() -> int:
    """Indexing processes for a rebuild: one per CPU this process may run on, at most 4 (the
    command's own process reads the database meanwhile; more processes only add segments)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


class WhooshRebuilder:
    def __init__(self, index):
        self.index = index
        self.writer = None

    def start(self):
        backend = self.index.backend
        self.writer = backend.store.rebuild_writer(procs=backend.rebuild_procs, limitmb=backend.rebuild_limitmb)
        self.rebuilding = WhooshRebuildingIndex(backend, self.writer)
        return self.rebuilding

    def finish(self):
        try:
            self.index.store.finish_rebuild(self.writer, expected=self.rebuilding.added)
        except RebuildIncomplete:
            self.writer = None  # committed; the index is marked for another rebuild
            raise
        self.writer = None

    def __del__(self):
        # An interrupted rebuild must release the lock without touching the live index.
        if self.writer is not None:
            try:
                self.writer.cancel()
            except Exception:
                logger.warning("search index: could not cancel an interrupted rebuild", exc_info=True)


# --- queries ----------------------------------------------------------------------------------


class WhooshSearchQueryCompiler(FilterTranslationMixin, BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "and"
    HANDLES_ORDER_BY_EXPRESSIONS = True  # ordering is done by the database
    field_class = SearchField

    def fields_with_boosts(self) -> list[tuple[str, float]]:
        boosts = _model_field_boosts(_concrete(self.queryset.model), self.field_class)
        if self.fields is None:
            return list(boosts)
        wanted = set(self.fields)
        return [(path, boost) for path, boost in boosts if path in wanted]

    def allowed_documents(self, searcher):
        """``(docs, translated)``: the document numbers the search may return - the searched
        model and its subclasses, narrowed by the queryset's filters where they translate into
        the index (``translated`` is then True, else the database has to filter). Sets are
        kept in the searcher's cache; Whoosh would otherwise collect them anew for every query."""
        cache = searcher_cache(searcher)
        content_type = _concrete(self.queryset.model).indexed_get_content_type()
        docs = cache.get(
            ("filter docs", content_type), lambda: docs_matching(searcher, wq.Term(CONTENT_TYPE_FIELD, content_type))
        )
        self.docs_key = (content_type,)
        if not self.queryset.query.where:
            return docs, True
        if FILTER_GLOB not in internals.glob_fields(searcher.schema):
            # An index written before filter fields existed: the database filters until rebuilt.
            return docs, False
        self.indexed_fields = indexed_fields(searcher)
        try:
            translated = self.whoosh_filter()
        except Untranslatable:
            return docs, False
        if translated is None:
            return docs, True
        key = self.docs_key = (content_type, repr(translated))
        narrowed = cache.get(("filter docs", *key), lambda: docs.intersection(docs_matching(searcher, translated)))
        return narrowed, True

    def is_match_all(self) -> bool:
        query = self.query
        while isinstance(query, Boost):
            query = query.subquery
        return isinstance(query, MatchAll)

    def to_whoosh(self, searcher, fuzzy_fallback=True):
        self._searcher = searcher
        self._fuzzy_fallback = fuzzy_fallback
        self._fields = self.fields_with_boosts()
        self._fields_key = (self.fields is None, *self._fields)
        self._typed: dict[str, str] = {}  # term -> the word it was typed as, in lower case
        return self._compile(self.query, 1.0)

    def _combine(self, parts, operator):
        parts = [p for p in parts if p is not None]
        if operator == "and" and any(p is wq.NullQuery for p in parts):
            return wq.NullQuery
        parts = [p for p in parts if p is not wq.NullQuery]
        if not parts:
            return wq.NullQuery
        if len(parts) == 1:
            return parts[0]
        return wq.And(parts) if operator == "and" else wq.Or(parts)

    def _compile(self, query, boost):
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, Boost):
            return self._compile(query.subquery, boost * query.boost)
        if isinstance(query, Not):
            inner = self._compile(query.subquery, boost).normalize()
            # "not nothing" is everything (Whoosh would fold Not(NullQuery) into NullQuery)
            return wq.Every() if inner is wq.NullQuery else wq.Not(inner)
        if isinstance(query, And):
            parts = [self._compile(q, boost).normalize() for q in query.subqueries]
            if any(p is wq.NullQuery for p in parts):
                return wq.NullQuery
            # "x and everything" is x (Whoosh would let Every() swallow the conjunction)
            parts = [p for p in parts if not isinstance(p, wq.Every)]
            return self._combine(parts, "and") if parts else wq.Every()
        if isinstance(query, Or):
            parts = [self._compile(q, boost).normalize() for q in query.subqueries]
            parts = [p for p in parts if p is not wq.NullQuery]
            if any(isinstance(p, wq.Every) for p in parts):
                return wq.Every()
            return self._combine(parts, "or")
        if isinstance(query, PlainText):
            terms = self.analyse_typed(query.query_string)
            # exact: words the synonym list supplies (search.synonyms.ExactText), no typo fallback
            exact = getattr(query, "exact", False)
            return self._combine([self.term_query(t, boost * query.boost, exact=exact) for t in terms], query.operator)
        if isinstance(query, Fuzzy):
            terms = self.analyse_typed(query.query_string)
            return self._combine([self.fuzzy_query(t, boost, explicit=True) for t in terms], query.operator)
        if isinstance(query, Phrase):
            return self.phrase_query(self.analyse(query.query_string), boost)
        raise NotImplementedError(f"`{query.__class__.__name__}` is not supported by the Whoosh search backend.")

    def analyse(self, text: str) -> list[str]:
        return query_terms(text)

    def analyse_typed(self, text: str) -> list[str]:
        """:meth:`analyse`, remembering the word each term was typed as: how many typos a term
        may have depends on the length of the word ("Akten" -> "akt": 5 letters, one edit)."""
        for word in _WORDS.findall(text):
            word = word.lower()
            for term in self.analyse(word):
                if len(typed_form(word)) > len(typed_form(self._typed.get(term, ""))):
                    self._typed[term] = word
        return self.analyse(text)

    def _allowed_edits(self, term: str) -> int:
        return typos.allowed_edits(typed_form(self._typed.get(term, term)))

    def _lexicon_fact(self, key, compute):
        """A fact about the index's words (a document frequency, whether compounds exist),
        remembered in the searcher's cache: one search compiles the same words once per searched
        model."""
        return searcher_cache(self._searcher).get(("lexicon", key), compute)

    def _has_compounds(self, term: str) -> bool:
        """Whether some indexed word ends in ``term`` without being ``term`` itself."""

        def compute():
            # The reader yields the index's words as bytes: compare bytes with bytes.
            reversed_term = term[::-1].encode("utf-8")
            for word in self._searcher.reader().expand_prefix(COMPOUND_FIELD, reversed_term):
                if word != reversed_term:
                    return True
            return False

        return self._lexicon_fact(("compounds", term), compute)

    def _doc_frequency(self, fieldname: str, term: str) -> int:
        reader = self._searcher.reader()
        return self._lexicon_fact(("df", fieldname, term), lambda: reader.doc_frequency(fieldname, term))

    def _where(self, term: str):
        """``(fields holding term, compounds of it exist, it is a part of a compound)``: looked
        up once per word and searcher, for all of this model's fields at once."""
        # Only fields that contain the word: every extra branch costs time for each match.
        present = [(path, b) for path, b in self._fields if self._doc_frequency(TEXT_PREFIX + path, term)]
        compounds = self.fields is None and len(term) >= COMPOUND_MIN_LENGTH and self._has_compounds(term)
        # (an index written before the parts field existed has none until its next rebuild)
        in_parts = (
            self.fields is None
            and PARTS_FIELD in self._searcher.schema
            and bool(self._doc_frequency(PARTS_FIELD, term))
        )
        return present, compounds, in_parts

    def term_query(self, term: str, boost: float, exact: bool = False):
        """The clauses of one word: the fields holding it, inside compounds, as a part of a
        compound and, for a word no document has, the words a typo away - unless ``exact``."""
        present, compounds, in_parts = self._lexicon_fact(("term", term, self._fields_key), lambda: self._where(term))
        parts = [wq.Term(TEXT_PREFIX + path, term, boost=b * boost) for path, b in present]
        typo = self._fuzzy_fallback and not exact and not present and not compounds and not in_parts
        if typo and self._allowed_edits(term):
            # "Persnalrat": no document has this word, so look for close ones instead (and, in a
            # partial_match field, for words it begins).
            fuzzy = self.fuzzy_query(term, boost)
            if fuzzy is not wq.NullQuery:
                parts.append(fuzzy)
        if len(term) >= COMPOUND_MIN_LENGTH:
            partial = _partial_match_paths(_concrete(self.queryset.model))
            parts += [
                wq.Prefix(TEXT_PREFIX + path, term, boost=b * boost * PARTIAL_BOOST, constantscore=False)
                for path, b in self._fields
                if path in partial
            ]
        if compounds:
            # Compound heads: documents with a word ending in this one ("Bauantrag" for "Antrag").
            # constantscore=False: each word scored and boosted (Whoosh's "constant" score is 1.0
            # per match in an index under 5,000 documents and a sum of scores above - without the
            # boost in the first case), so a compound match weighs the same at any index size.
            parts.append(wq.Prefix(COMPOUND_FIELD, term[::-1], boost=COMPOUND_BOOST * boost, constantscore=False))
        if in_parts:
            # A part of a compound in the document, at either end or inside ("Anwohnerpark" ->
            # "Anwohnerparkausweis"), scored below the word itself.
            parts.append(wq.Term(PARTS_FIELD, term, boost=PARTS_BOOST * boost))
        if not parts:
            return wq.NullQuery  # a word no document has: an "and" query finds nothing
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def fuzzy_query(self, term: str, boost: float, explicit: bool = False):
        """The words a typo away from ``term`` (:meth:`_typo_candidates`; an ``explicit`` ``Fuzzy``
        allows one edit even in a short word). The candidates are found once, not once per text
        field; then only fields holding them are asked."""
        parts = [
            wq.Term(TEXT_PREFIX + path, word, boost=b * boost * FUZZY_BOOST)
            for word in self._typo_candidates(term, at_least_one=explicit)
            for path, b in self._fields
            if self._doc_frequency(TEXT_PREFIX + path, word)
        ]
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def _typo_candidates(self, term: str, at_least_one: bool = False) -> list[str]:
        """The indexed words (stems) a typo away from ``term``, by the rule of :mod:`search.typos`
        (edits by length, a transposition of neighbours is one), closest first, then those in
        more documents; at most ``FUZZY_MAX_CANDIDATES``. Two passes, each one automaton walked
        through the index's word list (:func:`search.whoosh.suggest.words_within`):

        * the word as typed against the words as written (``SPELLING_FIELD``), each candidate
          then stemmed: the rule as the user sees it, also where a typo changes how the word
          stems ("Einbürgerungstset" -> "einburgerungstset", the page's "Einbürgerungstest" ->
          "einburgerungst"). With two edits (8 letters or more) the first letter must match, which
          costs a third of a free one; the second pass usually finds a typo there;
        * the stem against the stems, folded (``COMPOUND_FIELD``), with the edits the stem's own
          length allows: "Strassenreinigungsatzung" (typed with "ss") is one edit from the stem of
          "Straßenreinigungssatzung". No prefix here: the field is reversed, so a prefix would fix
          the *last* letters of the stem, where stemming puts a typo in a word's ending
          ("Meldebescheingung" -> "meldebescheing", the page's "meldebeschein").

        Remembered on the searcher."""
        typed = self._typed.get(term)  # None: not from typed text (an explicit Fuzzy of a term)
        edits = typos.allowed_edits(typed_form(typed or term))
        stem_edits = min(edits, typos.allowed_edits(term))
        if at_least_one:
            edits, stem_edits = max(edits, 1), max(stem_edits, 1)

        def compute():
            reader = self._searcher.reader()
            found: dict[str, int] = {}
            if edits and typed:
                key = typed_form(typed)
                for word in words_within(reader, SPELLING_FIELD, typed, edits, prefix=1 if edits > 1 else 0):
                    distance = typos.distance(key, typed_form(word), edits)
                    if distance <= edits:
                        for stem in query_terms(word):
                            found[stem] = min(distance, found.get(stem, distance))
            if stem_edits:
                for reversed_stem in words_within(reader, COMPOUND_FIELD, term[::-1], stem_edits):
                    stem = reversed_stem[::-1]
                    distance = typos.distance(term, stem, stem_edits)
                    if distance <= stem_edits:
                        found[stem] = min(distance, found.get(stem, distance))
            ranked = sorted(
                (distance, -reader.doc_frequency(COMPOUND_FIELD, stem[::-1]), stem) for stem, distance in found.items()
            )
            return [stem for *_, stem in ranked[:FUZZY_MAX_CANDIDATES]]

        return self._lexicon_fact(("typos", term, typed, edits, stem_edits), compute)

    def phrase_query(self, terms: list[str], boost: float):
        if not terms:
            return wq.NullQuery
        if len(terms) == 1:
            return self._combine([wq.Term(TEXT_PREFIX + p, terms[0], boost=b * boost) for p, b in self._fields], "or")
        return self._combine([wq.Phrase(TEXT_PREFIX + p, terms, boost=b * boost) for p, b in self._fields], "or")


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    field_class = AutocompleteField

    def analyse(self, text: str) -> list[str]:
        return autocomplete_query_terms(text)

    def term_query(self, term: str, boost: float, exact: bool = False):
        reader = self._searcher.reader()
        parts = [
            wq.Term(AUTOCOMPLETE_PREFIX + path, term, boost=boost)
            for path, _ in self._fields
            if reader.doc_frequency(AUTOCOMPLETE_PREFIX + path, term)
        ]
        if not parts:
            return wq.NullQuery
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def fuzzy_query(self, term: str, boost: float, explicit: bool = False):
        return self.term_query(term, boost)

    def phrase_query(self, terms: list[str], boost: float):
        return self._combine([self.term_query(t, boost) for t in terms], "and")


# --- results ----------------------------------------------------------------------------------


def _chunks(seq: list, size: int) -> Iterator[list]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


class WhooshSearchResults(BaseSearchResults):
    supports_facet = True

    # -- talking to Whoosh

    def _whoosh_hits(self, limit):
        """``(hits, total, translated)``: hits are ``(pk, score)`` in relevance order, at most
        ``limit`` of them (``None``: all; 0: none, only the count); ``total`` the number of
        matches (or ``None`` if not computed); ``translated`` whether the queryset's filters are
        already applied by the index."""
        compiler = self.query_compiler
        model = compiler.queryset.model
        searcher = self.backend.store.searcher()
        if not searcher.doc_count():
            return [], 0, True
        query = compiler.to_whoosh(searcher, fuzzy_fallback=self.backend.fuzzy_fallback).normalize()
        if query is wq.NullQuery:
            return [], 0, True
        allowed, translated = compiler.allowed_documents(searcher)
        if limit == 0:
            # Only the number: collect document numbers without scoring.
            return [], len(searcher.search(query, filter=allowed, limit=None, scored=False)), translated
        results = searcher.search(query, filter=allowed, limit=limit)
        if translated and results.has_exact_length():
            # The collector counted every match on the way: remember it for count() on this
            # query and its slices (they share the compiler), which then needs no second pass.
            compiler.total_memo = (searcher, len(results))
        ids = id_column(searcher)
        to_python = model._meta.pk.to_python
        hits = []
        for score, docnum in results.top_n:
            pk = ids[docnum].split(":", 1)[1]
            hits.append((to_python(pk), float(score) if score is not None else 0.0))
        return hits, (len(hits) if limit is None else None), translated

    def _fast(self) -> bool:
        """Relevance order on an unsliced queryset: Whoosh can cut the page itself (if the
        filters translate - known once the index was asked)."""
        qs = self.query_compiler.queryset
        return self.query_compiler.order_by_relevance and not qs.query.is_sliced

    def _allowed_pks(self, pks: list) -> list:
        """The ``pks`` the queryset allows, in the queryset's order if relevance is off, else
        in the order given."""
        compiler = self.query_compiler
        qs = compiler.queryset
        if not compiler.order_by_relevance:
            if not qs.query.order_by:
                # a stable order across pages, as the database backends do
                qs = qs.order_by("-pk")
            wanted = set(pks)
            if len(pks) <= IN_LIST_LIMIT:
                rows = qs.filter(pk__in=pks).values_list("pk", flat=True)
            else:
                rows = (pk for pk in qs.values_list("pk", flat=True).iterator() if pk in wanted)
            return list(dict.fromkeys(rows))
        qs = qs.order_by()
        if len(pks) <= IN_LIST_LIMIT:
            allowed = set()
            for chunk in _chunks(pks, IN_CHUNK):
                allowed.update(qs.filter(pk__in=chunk).values_list("pk", flat=True))
        else:
            wanted = set(pks)
            allowed = {pk for pk in qs.values_list("pk", flat=True).iterator() if pk in wanted}
        return [pk for pk in pks if pk in allowed]

    def _ordered_page(self):
        """``(page, scores)`` for this slice: the pks to show, in order, and their scores."""
        if self._fast():
            hits, _, translated = self._whoosh_hits(self.stop)
            if translated:
                hits = hits[self.start : self.stop]
                return [pk for pk, _ in hits], dict(hits)
            if self.stop is not None:
                hits, _, _ = self._whoosh_hits(None)
        else:
            hits, _, _ = self._whoosh_hits(None)
        allowed = self._allowed_pks([pk for pk, _ in hits])
        return allowed[self.start : self.stop], dict(hits)

    def _load(self, pks: list, scores: dict) -> list:
        if not pks:
            return []
        objects = {obj.pk: obj for obj in self.query_compiler.queryset.filter(pk__in=pks)}
        result = []
        for pk in pks:
            obj = objects.get(pk)
            if obj is None:
                continue  # deleted since it was indexed
            if self._score_field:
                setattr(obj, self._score_field, scores.get(pk))
            result.append(obj)
        return result

    # -- MATCH_ALL: the queryset itself

    def _match_all_queryset(self):
        qs = self.query_compiler.queryset
        if not self.query_compiler.order_by_relevance and not qs.query.order_by:
            qs = qs.order_by("-pk")
        return qs

    # -- BaseSearchResults API

    def _do_search(self):
        if self.query_compiler.is_match_all():
            objs = list(self._match_all_queryset()[self.start : self.stop])
            if self._score_field:
                for obj in objs:
                    setattr(obj, self._score_field, None)
            return objs
        page, scores = self._ordered_page()
        return self._load(page, scores)

    def _do_count(self):
        if self.query_compiler.is_match_all():
            return self._match_all_queryset()[self.start : self.stop].count()
        memo = getattr(self.query_compiler, "total_memo", None)
        if memo is not None and memo[0] is self.backend.store.searcher():
            total, translated = memo[1], True
        else:
            _, total, translated = self._whoosh_hits(0)
        if not translated:
            hits, _, _ = self._whoosh_hits(None)
            total = len(self._allowed_pks([pk for pk, _ in hits]))
        total = max(0, total - self.start)
        if self.stop is not None:
            total = min(total, self.stop - self.start)
        return total

    def facet(self, field_name):
        compiler = self.query_compiler
        field = compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f"index.FilterField('{field_name}') to {compiler.queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        counts: Counter = Counter()
        qs = compiler.queryset.order_by()

        def count_rows(rows):
            for row in rows.values(field_name).annotate(count=Count("pk")).order_by():
                counts[row[field_name]] += row["count"]

        if compiler.is_match_all():
            count_rows(qs)
        else:
            hits, _, _ = self._whoosh_hits(None)
            if len(hits) > IN_LIST_LIMIT:
                pks = self._allowed_pks([pk for pk, _ in hits])
            else:
                pks = [pk for pk, _ in hits]
            for chunk in _chunks(pks, IN_CHUNK):
                count_rows(qs.filter(pk__in=chunk))
        return OrderedDict(sorted(counts.items(), key=lambda item: -item[1]))


# --- backend ----------------------------------------------------------------------------------


class WhooshSearchBackend(BaseSearchBackend):
    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    results_class = WhooshSearchResults
    index_class = WhooshIndex
    rebuilder_class = WhooshRebuilder
    # The database is the record; the index is rebuilt from it. A disk problem with the index
    # is logged (and shows in /healthz), it does not fail the editor's save or delete.
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        path = params.get("PATH")
        if not path:
            from django.conf import settings

            path = getattr(settings, "SEARCH_INDEX_DIR", None)
        if not path:
            raise ValueError('The Whoosh search backend needs a "PATH" option (the index directory).')
        self.store = get_store(path)
        self.rebuild_procs = int(params.get("REBUILD_PROCS") or default_rebuild_procs())
        self.rebuild_limitmb = int(params.get("REBUILD_LIMITMB") or 128)
        self.fuzzy_fallback = bool(params.get("FUZZY_FALLBACK", True))

    def get_index_for_model(self, model):
        return self.index_class(self)

    def healthcheck(self) -> tuple[bool, str]:
        """``(ok, detail)`` for ``/healthz``: not ok if the index is missing, unreadable or was
        recreated empty and needs ``manage.py update_index``."""
        return self.store.healthcheck()

    def suggest(self, query: str, model_or_queryset=None, *, finds=None) -> str | None:
        """A corrected query for "Meinten Sie: …", or ``None``. Words the index knows stay as
        typed; others are replaced by the closest known word. With ``model_or_queryset`` (or
        ``finds``, ``text -> bool``, see :func:`search.whoosh.suggest.suggest`), each corrected
        word and the whole corrected query must find something there (all words in one hit), so
        it never reveals words from documents the caller could not see."""
        from .suggest import suggest

        if finds is None and model_or_queryset is not None:

            def finds(text):
                return self.search(text, model_or_queryset, operator="and").count() > 0

        return suggest(self, query, finds)

    def ranked(self, q, sources, **options):
        """One ranked search across content types (:mod:`search.whoosh.ranked`): the requested
        page, exact counts per type and facets over all matches."""
        from .ranked import ranked

        return ranked(self, q, sources, **options)


SearchBackend = WhooshSearchBackend
