"""German text analysis for the Whoosh search index.

One chain is used on both sides, for documents and for queries, so what is written and what is
asked for meet in the same normal form:

    tokenise on word characters  ->  lower case  ->  "ae/oe/ue" read as "ä/ö/ü" (the Snowball
    "german2" rule: Buerger = Bürger)  ->  German stop words  ->  Snowball German stemmer
    (Anträge -> antrag, Genehmigungen -> genehm)  ->  fold what is left (ß -> ss, ä -> a,
    accents dropped: Straße = Strasse, Bürger = Burger)

Compound words ("Antrag" should find "Bauantrag" and "Urlaubsantrag") are handled without a
dictionary: every stemmed token is also written *reversed* into one extra field, so "words that
end in antrag" becomes a prefix query ("gartna*") on that field, which Whoosh answers from its
sorted term list. German compounds put the head last, so suffix matching finds the cases that
matter; the backend scores those matches far below exact ones.

Autocomplete uses edge n-grams of folded, unstemmed words ("Genehmigung" -> "g", "ge", "gen",
...), and the spelling field keeps whole lower-cased words so "Meinten Sie: …" suggestions are
real words, not stems.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Filter, LowercaseFilter, NgramFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language

__all__ = [
    "AUTOCOMPLETE_MAX_GRAM",
    "GermanDigraphFilter",
    "GermanFoldFilter",
    "ReverseFilter",
    "autocomplete_analyzer",
    "autocomplete_query_terms",
    "fold",
    "german_analyzer",
    "query_terms",
    "reversed_analyzer",
    "spelling_analyzer",
]

#: Longest edge n-gram written for autocomplete; longer query words are cut to this length.
AUTOCOMPLETE_MAX_GRAM = 20

# Word characters only: "Poseidon-1234ABC" -> "poseidon", "1234abc"; "Bau-Antrag" -> "bau", "antrag".
WORD_PATTERN = r"\w+"

_DIGRAPHS = re.compile(r"(?<!q)ue|ae|oe")
_DIGRAPH_MAP = {"ae": "ä", "oe": "ö", "ue": "ü"}
_FOLD_MAP = str.maketrans({"ß": "ss", "ä": "a", "ö": "o", "ü": "u", "æ": "ae", "œ": "oe", "ø": "o"})


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


class GermanDigraphFilter(Filter):
    """ae/oe/ue -> ä/ö/ü on lower-cased tokens (see :func:`normalise_digraphs`)."""

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            t.text = normalise_digraphs(t.text)
            yield t


class GermanFoldFilter(Filter):
    """Folds umlauts, ß and accents (see :func:`fold`). Runs after the stemmer, which needs
    the umlauts to find German suffixes."""

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            t.text = fold(t.text)
            yield t


class ReverseFilter(Filter):
    """Writes each token backwards, so a suffix search becomes a prefix search."""

    def __call__(self, tokens: Iterator) -> Iterator:
        for t in tokens:
            t.text = t.text[::-1]
            yield t


def _german_stopwords() -> frozenset[str]:
    # The list is written with umlauts ("für", "über"); it is matched after the digraph step,
    # so "fuer" is stopped as well.
    return frozenset(normalise_digraphs(word.lower()) for word in stopwords_for_language("de"))


GERMAN_STOPWORDS = _german_stopwords()


def german_analyzer():
    """The analyzer of every full-text field: German stemming, stop words and folding."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | GermanDigraphFilter()
        | StopFilter(stoplist=GERMAN_STOPWORDS, minsize=2, renumber=True)
        | StemFilter(lang="de", cachesize=100_000)
        | GermanFoldFilter()
    )


def reversed_analyzer():
    """Like :func:`german_analyzer`, with every token reversed (compound-word head matching)."""
    return german_analyzer() | ReverseFilter()


def autocomplete_analyzer():
    """Edge n-grams of folded, unstemmed words, for "search as you type"."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | GermanDigraphFilter()
        | GermanFoldFilter()
        | NgramFilter(minsize=1, maxsize=AUTOCOMPLETE_MAX_GRAM, at="start")
    )


def autocomplete_query_analyzer():
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | GermanDigraphFilter() | GermanFoldFilter()


def spelling_analyzer():
    """Whole lower-cased words with their umlauts, the vocabulary for spelling suggestions."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StopFilter(stoplist=(), minsize=3)


_QUERY_ANALYZER = german_analyzer()
_AUTOCOMPLETE_QUERY_ANALYZER = autocomplete_query_analyzer()


def query_terms(text: str) -> list[str]:
    """The index terms a piece of query text becomes: ``query_terms("Anträge der Bürger")``
    -> ``["antrag", "burg"]``."""
    return [t.text for t in _QUERY_ANALYZER(text)]


def autocomplete_query_terms(text: str) -> list[str]:
    """The autocomplete terms of what a user has typed so far (no n-grams, no stemming)."""
    return [t.text[:AUTOCOMPLETE_MAX_GRAM] for t in _AUTOCOMPLETE_QUERY_ANALYZER(text)]
