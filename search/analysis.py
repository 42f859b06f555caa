"""German text analysis, one code path for both search engines.

Plain Python, no search engine: the Whoosh engine wraps it in Whoosh analyzers
(:mod:`search.whoosh.analyzers`), the PostgreSQL engine writes its terms as lexemes and analyses
queries with it (:mod:`search.postgres.lexemes`). Documents and queries go through the same steps,
so what is written and what is asked for meet in the same normal form:

    split into words (``\\w+``)  ->  lower case  ->  "ae/oe/ue" read as "ä/ö/ü" (the Snowball
    "german2" rule: Buerger = Bürger)  ->  German stop words and one-letter words dropped  ->
    Snowball German stemmer (Anträge -> antrag, Genehmigungen -> genehm)  ->  fold what is left
    (ß -> ss, ä -> a, accents dropped: Straße = Strasse, Bürger = Burger)

A word always becomes the same terms, whatever text it stands in, so each kind of field is a
:class:`WordAnalysis`: "what one word becomes", cached per distinct word (an index rebuild runs
the stemmer once per distinct word of the corpus, not once per occurrence and field). The kinds:

* :data:`TEXT` - the full-text fields, and every query word (:func:`query_terms`);
* :data:`REVERSED` - the same terms written backwards: Whoosh's compound-head field, where "words
  that end in antrag" becomes a prefix query ("gartna*") on its sorted term list;
* :data:`AUTOCOMPLETE` - edge n-grams of folded, unstemmed words ("Genehmigung" -> "g", "ge",
  "gen", ...); a query word is cut to :data:`AUTOCOMPLETE_MAX_GRAM` (:func:`autocomplete_query_terms`);
* :data:`SPELLING` - whole lower-cased words with their umlauts, the vocabulary for "Meinten Sie: …"
  (real words, not stems).

Compound words are split by dictionary (:func:`compound_parts`, :mod:`search.compounds`), and the
words of a question that say how it is asked, not what about, are optional
(:func:`content_words`, :func:`content_query`).

The stemmer is the Snowball German algorithm of the PyPI package ``snowballstemmer`` 2.2.0: its
stems are those of the Whoosh stemmer used before (``whoosh.lang.snowball``), word for word
(``tests/search/test_analysis_golden.py``), so an index written before needs no rebuild. Later
releases of the algorithm stem differently ("Mitarbeiterin" -> "mitarbeit"): changing the
version changes every index's terms and needs ``make search-quality`` and a rebuild.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from snowballstemmer.german_stemmer import GermanStemmer

__all__ = [
    "ANALYSES",
    "AUTOCOMPLETE",
    "AUTOCOMPLETE_MAX_GRAM",
    "AUTOCOMPLETE_QUERY",
    "COMPOUND_PART_MIN_WORD",
    "GERMAN_STOPWORDS",
    "QUESTION_FILLERS",
    "REVERSED",
    "SPELLING",
    "TEXT",
    "WORD_PATTERN",
    "WordAnalysis",
    "autocomplete_query_terms",
    "compound_parts",
    "content_query",
    "content_words",
    "fold",
    "is_optional",
    "normalise_digraphs",
    "query_terms",
    "stem",
    "words",
]

#: Longest edge n-gram written for autocomplete; longer query words are cut to this length.
AUTOCOMPLETE_MAX_GRAM = 20

# Word characters only: "Poseidon-1234ABC" -> "poseidon", "1234abc"; "Bau-Antrag" -> "bau", "antrag".
WORD_PATTERN = r"\w+"
WORD = re.compile(WORD_PATTERN)

_DIGRAPHS = re.compile(r"(?<!q)ue|ae|oe")
_DIGRAPH_MAP = {"ae": "ä", "oe": "ö", "ue": "ü"}
_FOLD_MAP = str.maketrans({"ß": "ss", "ä": "a", "ö": "o", "ü": "u", "æ": "ae", "œ": "oe", "ø": "o"})


def words(text: str) -> Iterator[str]:
    """The words of ``text``, in order: ``list(words("Bau-Antrag 2024"))`` -> ``["Bau", "Antrag", "2024"]``."""
    return (match.group(0) for match in WORD.finditer(text or ""))


def normalise_digraphs(text: str) -> str:
    """Reads the transliterations "ae", "oe", "ue" as umlauts ("Buerger" -> "bürger"), as
    Snowball's german2 variant does; "ue" after "q" stays ("Quelle"). Accents other than the
    German umlauts are dropped here already ("Café" -> "cafe"), so the stemmer treats both
    spellings alike."""
    if not text.isascii():
        text = "".join(_strip_accent(ch) for ch in text)
    return _DIGRAPHS.sub(lambda m: _DIGRAPH_MAP[m.group(0)], text)


def _strip_accent(ch: str) -> str:
    if ch.isascii() or ch in "äöüß":
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or ch


def fold(text: str) -> str:
    """Lower case, umlauts and ß folded, accents removed: "Straße" -> "strasse", "Bürger" -> "burger"."""
    text = text.lower().translate(_FOLD_MAP)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_STEMMER = GermanStemmer()
# The stemmer keeps the word it works on in itself: one word at a time. Words reach it once each
# (the cache below), so threads seldom wait here.
_STEMMER_LOCK = threading.Lock()
_STEMS: dict[str, str] = {}
#: Distinct words whose stem is kept; the cache starts afresh when full.
STEM_CACHE_SIZE = 200_000


def stem(word: str) -> str:
    """The Snowball German stem of a lower-cased word: ``stem("anträge") == "antrag"``.

    Cached, and shared by every kind of field that stems (full text, reversed, the PostgreSQL
    engine's compound parts): the pure-Python stemmer takes about 30 µs a word, so a word is
    stemmed once per process."""
    stemmed = _STEMS.get(word)
    if stemmed is None:
        with _STEMMER_LOCK:
            stemmed = _STEMMER.stemWord(word)
        if len(_STEMS) >= STEM_CACHE_SIZE:
            _STEMS.clear()
        _STEMS[word] = stemmed
    return stemmed


def _german_stopwords() -> frozenset[str]:
    # The list is written with umlauts ("für", "über"); it is matched after the digraph step,
    # so "fuer" is stopped as well.
    lines = Path(__file__).with_name("german_stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(normalise_digraphs(line.strip().lower()) for line in lines if line.strip() and line[0] != "#")


GERMAN_STOPWORDS = _german_stopwords()


class WordAnalysis:
    """What one kind of field makes of a single word: its normal form (:attr:`normal`), dropped
    if that is a stop word or shorter than ``min_length``, else turned into terms (:attr:`kept`).

    :meth:`terms` is what the index and a query see, cached per word; ``()`` for a dropped word.
    :meth:`dropped_form` is a dropped word as a caller that keeps dropped words shows it (Whoosh's
    ``removestops=False``: its normal form, folded and reversed as the kind's terms are, never
    stemmed). ``query`` gives a kept word's terms in a query where they differ (edge n-grams: the
    longest one only)."""

    #: Distinct words kept per cache; it starts afresh when full (German vocabularies of a city
    #: administration's intranet stay well below this).
    CACHE_SIZE = 200_000

    def __init__(
        self,
        name: str,
        *,
        normal: Callable[[str], str],
        kept: Callable[[str], tuple[str, ...]],
        dropped: Callable[[str], str],
        stopwords: frozenset[str] = frozenset(),
        min_length: int = 0,
        query: Callable[[str], tuple[str, ...]] | None = None,
        grams: bool = False,
    ):
        self.name = name
        self.normal = normal
        self.kept = kept
        self.dropped = dropped
        self.stopwords = stopwords
        self.min_length = min_length
        self.query = query or kept
        #: Whether the terms are n-grams of the word (a term's character span is its own length).
        self.grams = grams
        self._caches: dict[bool, dict[str, tuple[str, ...]]] = {False: {}, True: {}}

    def __repr__(self):
        return f"WordAnalysis({self.name!r})"

    def is_dropped(self, word: str) -> bool:
        normal = self.normal(word)
        return len(normal) < self.min_length or normal in self.stopwords

    def terms(self, word: str, *, query: bool = False) -> tuple[str, ...]:
        """The terms of one word (empty for a dropped word); ``query``: as a query word."""
        cache = self._caches[query]
        terms = cache.get(word)
        if terms is None:
            if len(cache) >= self.CACHE_SIZE:
                cache = self._caches[query] = {}
            normal = self.normal(word)
            if len(normal) < self.min_length or normal in self.stopwords:
                terms = ()
            else:
                terms = (self.query if query else self.kept)(normal)
            cache[word] = terms
        return terms

    def dropped_form(self, word: str) -> str:
        return self.dropped(self.normal(word))

    def text_terms(self, text: str, *, query: bool = False) -> list[str]:
        """The terms of every word of ``text``, in order."""
        terms = self.terms
        return [term for word in words(text) for term in terms(word, query=query)]


def _lower_digraphs(word: str) -> str:
    return normalise_digraphs(word.lower())


def _folded(word: str) -> str:
    return fold(normalise_digraphs(word.lower()))


def _edge_grams(word: str) -> tuple[str, ...]:
    return tuple(word[:size] for size in range(1, min(AUTOCOMPLETE_MAX_GRAM, len(word)) + 1))


#: Full-text fields and queries: stop words and one-letter words dropped, stemmed, folded.
TEXT = WordAnalysis(
    "text",
    normal=_lower_digraphs,
    kept=lambda word: (fold(stem(word)),),
    dropped=fold,
    stopwords=GERMAN_STOPWORDS,
    min_length=2,
)
#: :data:`TEXT` written backwards (compound heads as prefixes).
REVERSED = WordAnalysis(
    "reversed",
    normal=_lower_digraphs,
    kept=lambda word: (fold(stem(word))[::-1],),
    dropped=lambda word: fold(word)[::-1],
    stopwords=GERMAN_STOPWORDS,
    min_length=2,
)
#: Edge n-grams of folded, unstemmed words; nothing dropped.
AUTOCOMPLETE = WordAnalysis(
    "autocomplete",
    normal=_folded,
    kept=_edge_grams,
    dropped=str,
    query=lambda word: (word[:AUTOCOMPLETE_MAX_GRAM],) if word else (),
    grams=True,
)
#: Folded, unstemmed words, whole: what has been typed so far.
AUTOCOMPLETE_QUERY = WordAnalysis("autocomplete_query", normal=_folded, kept=lambda word: (word,), dropped=str)
#: Whole lower-cased words with their umlauts, three letters or more.
SPELLING = WordAnalysis("spelling", normal=str.lower, kept=lambda word: (word,), dropped=str, min_length=3)

#: Every kind by name (the name is what the Whoosh index stores of its fields' analysis).
ANALYSES = {analysis.name: analysis for analysis in (TEXT, REVERSED, AUTOCOMPLETE, AUTOCOMPLETE_QUERY, SPELLING)}


def query_terms(text: str) -> list[str]:
    """The index terms a piece of query text becomes: ``query_terms("Anträge der Bürger")``
    -> ``["antrag", "burg"]``."""
    return TEXT.text_terms(text, query=True)


def autocomplete_query_terms(text: str) -> list[str]:
    """The autocomplete terms of what a user has typed so far (no n-grams, no stemming)."""
    return AUTOCOMPLETE.text_terms(text, query=True)


#: Words of a natural question that say how something is asked, not what about: question words,
#: modal and auxiliary verbs, "tun/machen/bekommen/geben"-style verbs of asking, pronouns. In a
#: query they are optional - they may match, they are never required (``content_words``). Those
#: already among the German stop words (was, wie, wo, ich, man, kann, muss, bei, für ...) are
#: optional anyway and not repeated here. Written as a German speaker writes them; compared
#: lower-cased, folded and with ae/oe/ue read as umlauts ("fuer" = "für").
QUESTION_FILLERS_TEXT = """
    wer wen wem wessen wann warum weshalb wieso weswegen wofür womit wodurch wohin woher worauf
    worüber wovon wozu woran wobei wieviel wievielen welch irgendwie genau eigentlich bitte mal
    gerne gern jemand jemandem jemanden niemand etwa ungefähr
    musst müssen müsst müsste müssten kannst könnt könnten darf darfst dürfen dürfte soll sollen
    sollst solltest sollten möchte möchtest möchten mag magst will willst wollt
    tun tue tust tut mache machst macht gemacht bekomme bekommst bekommt kriege kriegst kriegt
    komme kommst kommt gibt gebe geht gehe gehen finde findest findet brauche brauchst braucht
    hast habt beim ans aufs fürs übers ums vors
"""
QUESTION_FILLERS = frozenset(QUESTION_FILLERS_TEXT.split())


def _word_key(word: str) -> str:
    return fold(normalise_digraphs(word.lower()))


_OPTIONAL = frozenset(_word_key(word) for word in GERMAN_STOPWORDS | QUESTION_FILLERS)
#: Words shorter than this are never required either (the analyzer drops them: "E" of "E-Mail").
CONTENT_MIN_LENGTH = 2


def is_optional(word: str) -> bool:
    """Whether a query word need not match: a German stop word, a question filler (see
    :data:`QUESTION_FILLERS`) or a single letter."""
    return len(word) < CONTENT_MIN_LENGTH or _word_key(word) in _OPTIONAL


def content_words(text: str) -> list[str]:
    """The words of a query that say what it is about, as written, each once:
    ``content_words("Wer bezahlt die Dienstreise?")`` -> ``["bezahlt", "Dienstreise"]``.
    Empty if every word is optional ("Was ist das?")."""
    return list(dict.fromkeys(word for word in re.findall(WORD_PATTERN, text) if not is_optional(word)))


def content_query(text: str) -> str:
    """The query both engines are asked: ``text`` without its optional words (question fillers,
    stop words), so no engine requires them - or ``text`` itself if it has none, or nothing else."""
    words = re.findall(WORD_PATTERN, text)
    content = [word for word in words if not is_optional(word)]
    if not content or len(content) == len(words):
        return text
    return " ".join(content)


#: Words shorter than this are not split into compound parts (no German compound of two
#: 4-letter parts is shorter).
COMPOUND_PART_MIN_WORD = 8


def compound_parts(word: str) -> list[str]:
    """The parts of a compound word, lower case and unstemmed, for both engines' indexes
    (:mod:`search.compounds`): ``compound_parts("Bürgerbüro") == ["bürger", "büro"]``,
    ``compound_parts("Buergerbuero")`` too; ``[]`` for a word that is no compound."""
    if len(word) < COMPOUND_PART_MIN_WORD or not word.isalpha():
        return []
    from .compounds import split_compound

    return split_compound(normalise_digraphs(word.lower()))


# --- names older releases pickled into a Whoosh index -------------------------------------------

#: Whoosh stores its schema, analyzers included, pickled in the index's table of contents. Indexes
#: written before the analyzers moved to :mod:`search.whoosh.analyzers` name their classes here
#: (``search.analysis.WordCachedAnalyzer``, ``GermanDigraphFilter`` ...). This module imports no
#: Whoosh; the Whoosh engine registers its classes under those names when it is imported, before
#: it opens an index, so such an index still opens (:func:`__getattr__`).
PICKLED_NAMES: dict[str, type] = {}


def __getattr__(name: str):
    try:
        return PICKLED_NAMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
