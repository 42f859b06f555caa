"""The Whoosh face of the German analysis: Whoosh analyzers around :mod:`search.analysis`.

Each field of the index names one kind of analysis (:data:`search.analysis.ANALYSES`); the
analyzer here only turns what that kind makes of each word into Whoosh tokens: positions, the
character span of the word, and the dropped words when Whoosh asks to keep them
(``removestops=False``). Tokenising, folding, stop words and stemming are the plain module's,
so the Whoosh index and the PostgreSQL engine's lexemes cannot drift apart
(``tests/search/test_analysis.py``).

Whoosh pickles the schema, analyzers included, into the index's table of contents: an analyzer
pickles as ``GermanAnalyzer(<kind name>)``, nothing else, so the analysis can change without a
stale copy of it living on in an index. Indexes written before this module existed name
``search.analysis.WordCachedAnalyzer`` and its filters (``GermanDigraphFilter`` ...); those names
are registered below (:data:`search.analysis.PICKLED_NAMES`), so such an index opens, analyses
with this module at once, and is written with the new names at its next commit.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, Filter, NgramFilter, StemFilter, StopFilter, Token

from .. import analysis
from ..analysis import ANALYSES, WORD, WordAnalysis

__all__ = [
    "GermanAnalyzer",
    "autocomplete_analyzer",
    "autocomplete_query_analyzer",
    "german_analyzer",
    "reversed_analyzer",
    "spelling_analyzer",
]


class GermanAnalyzer(Analyzer):
    """A Whoosh analyzer for one kind of :mod:`search.analysis` (``"text"``, ``"reversed"``,
    ``"autocomplete"``, ``"autocomplete_query"``, ``"spelling"``).

    Positions follow Whoosh's ``StopFilter(renumber=True)``: the first kept word keeps its own
    position, every later kept word is one more than the previous, so phrases skip stop words; a
    dropped word kept visible (``removestops=False``) has its own position. ``chars``: a term's
    span is its word's (an n-gram's ends after its own length, as Whoosh's ``NgramFilter``).
    ``tokenize=False`` analyses the whole value as one word."""

    def __init__(self, name: str):
        self.name = name
        self.analysis: WordAnalysis = ANALYSES[name]

    def __reduce__(self):
        return (GermanAnalyzer, (self.name,))

    def __eq__(self, other):
        return isinstance(other, GermanAnalyzer) and self.name == other.name

    def __hash__(self):
        return hash((GermanAnalyzer, self.name))

    def __repr__(self):
        return f"GermanAnalyzer({self.name!r})"

    def has_morph(self):
        # Whether terms are stems (Whoosh asks it of a TEXT field with spelling=True).
        return self.name in ("text", "reversed")

    def terms(self, word: str, mode: str = "") -> tuple[str, ...]:
        """The terms of one word (empty for a dropped word)."""
        return self.analysis.terms(word, query=mode == "query")

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        assert isinstance(value, str), f"{value!r} is not unicode"
        if chars or keeporiginal or not removestops or not tokenize:
            return self._full(
                value, positions, chars, keeporiginal, removestops, start_pos, start_char, tokenize, mode, kwargs
            )
        return self._terms(value, positions, start_pos, mode, kwargs)

    def _terms(self, value, positions, start_pos, mode, kwargs):
        # The indexing and query path: terms and positions only, one reused token.
        t = Token(positions, False, removestops=True, mode=mode, **kwargs)
        terms_of = self.analysis.terms
        query = mode == "query"
        pos = None
        for index, match in enumerate(WORD.finditer(value)):
            terms = terms_of(match.group(0), query=query)
            if not terms:
                continue
            pos = start_pos + index if pos is None else pos + 1
            for text in terms:
                t.text = text
                t.boost = 1.0
                t.stopped = False
                if positions:
                    t.pos = pos
                yield t

    def _full(self, value, positions, chars, keeporiginal, removestops, start_pos, start_char, tokenize, mode, kwargs):
        # Everything Whoosh may ask for (highlighting: character spans and dropped words).
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        analysis = self.analysis
        query = mode == "query"
        if tokenize:
            spans = ((m.group(0), m.start(), m.end()) for m in WORD.finditer(value))
        else:
            spans = iter([(value, 0, len(value))])
        pos = None
        for index, (word, start, end) in enumerate(spans):
            terms = analysis.terms(word, query=query)
            if terms:
                pos = start_pos + index if pos is None else pos + 1
                stopped = False
            elif not removestops and analysis.is_dropped(word):
                terms = (analysis.dropped_form(word),)
                stopped = True
            else:
                continue
            for text in terms:
                t.text = text
                t.boost = 1.0
                t.stopped = stopped
                if keeporiginal:
                    t.original = word
                if positions:
                    t.pos = start_pos + index if stopped else pos
                if chars:
                    t.startchar = start_char + start
                    t.endchar = start_char + (start + len(text) if analysis.grams else end)
                yield t


def german_analyzer() -> GermanAnalyzer:
    """Every full-text field: German stemming, stop words and folding."""
    return GermanAnalyzer("text")


def reversed_analyzer() -> GermanAnalyzer:
    """Like :func:`german_analyzer`, every term reversed (compound-word heads as prefixes)."""
    return GermanAnalyzer("reversed")


def autocomplete_analyzer() -> GermanAnalyzer:
    """Edge n-grams of folded, unstemmed words, for "search as you type"."""
    return GermanAnalyzer("autocomplete")


def autocomplete_query_analyzer() -> GermanAnalyzer:
    return GermanAnalyzer("autocomplete_query")


def spelling_analyzer() -> GermanAnalyzer:
    """Whole lower-cased words with their umlauts, the vocabulary for spelling suggestions."""
    return GermanAnalyzer("spelling")


# --- indexes written before this module ---------------------------------------------------------


class WordCachedAnalyzer(GermanAnalyzer):
    """``search.analysis.WordCachedAnalyzer`` as older indexes pickled it: the Whoosh filters it
    ran (``{"filters": (LowercaseFilter(), ..., StemFilter(lang="de"), ...)}``). It becomes the
    :class:`GermanAnalyzer` of the same kind, and pickles as one."""

    def __setstate__(self, state):
        GermanAnalyzer.__init__(self, _kind_of(state.get("filters", ())))


def _kind_of(filters) -> str:
    if any(isinstance(f, ReverseFilter) for f in filters):
        return "reversed"
    if any(isinstance(f, NgramFilter) for f in filters):
        return "autocomplete"
    if any(isinstance(f, StemFilter) for f in filters):
        return "text"
    if any(isinstance(f, StopFilter) for f in filters):
        return "spelling"
    return "autocomplete_query"


class GermanDigraphFilter(Filter):
    """ae/oe/ue -> ä/ö/ü, as older indexes pickled it (within their analyzer's filters)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = analysis.normalise_digraphs(t.text)
            yield t


class GermanFoldFilter(Filter):
    """Folding, as older indexes pickled it."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = analysis.fold(t.text)
            yield t


class ReverseFilter(Filter):
    """Tokens written backwards, as older indexes pickled it."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = t.text[::-1]
            yield t


analysis.PICKLED_NAMES.update(
    WordCachedAnalyzer=WordCachedAnalyzer,
    GermanDigraphFilter=GermanDigraphFilter,
    GermanFoldFilter=GermanFoldFilter,
    ReverseFilter=ReverseFilter,
)
