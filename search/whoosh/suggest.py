"""Words of the index close to a typed one (issue 20, "Typos"): the fuzzy fallback of
:mod:`search.whoosh.backend` and the spelling suggestions ("Meinten Sie: …") here, both by the rule of
:mod:`search.typos` (1 edit from 4 letters, 2 from 8; a transposition of neighbours is one edit)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from whoosh.automata.fsa import ANY, EPSILON, NFA

from .. import typos
from ..analysis import fold, normalise_digraphs
from . import internals
from .caches import segment_cache
from .store import SPELLING_FIELD

#: Candidate words tried per unknown word of a suggestion (each costs a search of its own).
SUGGEST_CANDIDATES = 5
#: A segment with at most this many words in a field keeps them in memory for the typo search
#: (about 1.5 MB, read in well under 0.1 s at this size); a larger one is walked on disk.
MEMORY_WORDS = 20_000


def typed_form(word: str) -> str:
    """The form whose length and edits count: lower case, "ue" read as "ü", umlauts and ß folded
    ("Buerger", "Bürger" -> "burger"), as the analysis compares words before stemming."""
    return fold(normalise_digraphs(word.lower()))


def typo_automaton(word: str, edits: int, prefix: int = 0):
    """A Whoosh DFA that accepts exactly the strings at most ``edits`` away from ``word`` by
    :func:`search.typos.distance` - insertion, deletion, substitution and the transposition of two
    neighbours, each one edit - and begin with the first ``prefix`` letters of ``word``.
    Whoosh's own (``reader.terms_within``) counts a transposition as two edits."""
    nfa = NFA((0, 0))
    for i in range(prefix):
        nfa.add_transition((i, 0), word[i], (i + 1, 0))
    n = len(word)
    for i in range(prefix, n):
        letter = word[i]
        for e in range(edits + 1):
            nfa.add_transition((i, e), letter, (i + 1, e))
            if e == edits:
                continue
            nfa.add_transition((i, e), ANY, (i, e + 1))  # a letter inserted
            nfa.add_transition((i, e), EPSILON, (i + 1, e + 1))  # this letter left out
            nfa.add_transition((i, e), ANY, (i + 1, e + 1))  # this letter replaced
            if i + 1 < n and word[i + 1] != letter:  # this letter and the next swapped
                nfa.add_transition((i, e), word[i + 1], (i, e, "swap"))
                nfa.add_transition((i, e, "swap"), letter, (i + 2, e + 1))
    for e in range(edits + 1):
        if e < edits:
            nfa.add_transition((n, e), ANY, (n, e + 1))
        nfa.add_final_state((n, e))
    return nfa.to_dfa()


def _segment_words(leaf, fieldname: str) -> list[str] | None:
    """The words of ``fieldname`` in one segment, sorted, if there are at most ``MEMORY_WORDS``
    (``None`` above): an automaton walks a list in memory several times faster than the word
    index on disk, whose every lookup is a binary search over all fields' words read from the
    file (about 0.14 ms each). Kept in the segment's cache."""

    def read():
        words: list[str] | None = []
        if fieldname in leaf.indexed_field_names():
            cursor = leaf.cursor(fieldname)
            text = cursor.text()
            while text is not None:
                if len(words) == MEMORY_WORDS:
                    return None
                words.append(text)
                text = cursor.next()
        return words

    return segment_cache(leaf).get(("words", fieldname, MEMORY_WORDS), read)


def _walk(dfa, words: list[str]) -> list[str]:
    """The words of the sorted list ``words`` that ``dfa`` accepts, skipping from one possible
    match to the next (as Whoosh's ``Automata.find_matches`` does on the index)."""
    found = []
    i, n = 0, len(words)
    match = dfa.next_valid_string(words[0]) if words else None
    while match:
        i = bisect_left(words, match, i)
        if i == n:
            break
        term = words[i]
        if term == match:
            found.append(term)
            term += "\0"
        match = dfa.next_valid_string(term)
    return found


def words_within(reader, fieldname: str, word: str, edits: int, prefix: int = 0) -> set[str]:
    """The words of ``fieldname`` at most ``edits`` away from ``word`` (see :func:`typo_automaton`),
    ``word`` itself included if the field has it. One automaton, walked through the sorted word
    list of each segment (a composite reader's own ``terms_within`` compares every word of the
    field in Python unless a prefix narrows it). Remembered in each segment's cache, which lives
    while the store keeps the reader (the segment is unchanged): after a commit only the new
    segments are walked."""
    dfa = None

    def walk(leaf) -> tuple[str, ...]:
        nonlocal dfa
        if dfa is None:
            dfa = typo_automaton(word, edits, prefix)
        in_memory = _segment_words(leaf, fieldname)
        if in_memory is not None:
            return tuple(_walk(dfa, in_memory))
        return tuple(internals.words_accepted(dfa, leaf.cursor(fieldname)))

    found: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        found.update(segment_cache(leaf).get(("within", fieldname, word, edits, prefix), lambda leaf=leaf: walk(leaf)))
    return found


def close_words(reader, typed: str) -> list[str]:
    """Words of the spelling dictionary within the edits :func:`search.typos.allowed_edits`
    gives ``typed`` (compared in :func:`typed_form`, so "Buerger" is no edit from "bürger"),
    closest first, then the most frequent; the same rule as the fuzzy fallback of the search."""
    lower = typed.lower()
    key = typed_form(lower)
    edits = typos.allowed_edits(key)
    if not edits:
        return []
    found = words_within(reader, SPELLING_FIELD, lower, edits)
    spelled = normalise_digraphs(lower)
    if spelled != lower:  # "buerger": the dictionary holds "bürger"
        found |= words_within(reader, SPELLING_FIELD, spelled, edits)
    ranked = []
    for candidate in found:
        distance = typos.distance(key, typed_form(candidate), edits)
        if candidate != lower and distance <= edits:
            ranked.append((distance, -reader.frequency(SPELLING_FIELD, candidate), candidate))
    return [candidate for *_, candidate in sorted(ranked)]


def suggest(backend, query: str, finds: Callable[[str], bool] | None = None) -> str | None:
    """Replaces each word of ``query`` the index does not know by the closest word it does
    (:func:`close_words`: the edits of :mod:`search.typos`, closest and then most frequent first).
    Returns ``None`` if nothing changes.

    The spelling dictionary holds every indexed word, including those of content the caller may
    not see (and, until segments merge, of deleted documents). With ``finds`` (``text -> bool``:
    does a search for ``text`` find something the caller may see?) a word is only offered if
    ``finds(word)`` - the next candidate is tried otherwise - and the corrected query only if it
    finds something as a whole (every word in one hit)."""
    reader = backend.store.searcher().reader()

    def candidates(word: str) -> list[str]:
        if reader.doc_frequency(SPELLING_FIELD, word.lower()):
            return []
        return close_words(reader, word)[:SUGGEST_CANDIDATES]

    return typos.correct(query, candidates, finds)
