"""Spelling suggestions ("Meinten Sie: …") from the words in the index."""

from __future__ import annotations

import re
from collections.abc import Callable

from .analysis import fold
from .whoosh_store import SPELLING_FIELD

_WORD = re.compile(r"\w+")


def _match_case(suggestion: str, original: str) -> str:
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def suggest(backend, query: str, finds: Callable[[str], bool] | None = None) -> str | None:
    """Replaces each word of ``query`` the index does not know by the closest word it does
    (edit distance up to 2, most frequent first). Returns ``None`` if nothing changes.

    The spelling dictionary holds every indexed word, including those of content the caller may
    not see (and, until segments merge, of deleted documents). With ``finds`` (``text -> bool``:
    does a search for ``text`` find something the caller may see?) a word is only offered if
    ``finds(word)`` - the next candidate is tried otherwise - and the corrected query only if it
    finds something as a whole (every word in one hit)."""
    searcher = backend.store.searcher()
    reader = searcher.reader()
    corrector = searcher.corrector(SPELLING_FIELD)
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        lower = word.lower()
        if len(lower) < 3 or reader.doc_frequency(SPELLING_FIELD, lower):
            return word
        candidates = corrector.suggest(lower, limit=5, maxdist=2 if len(lower) > 5 else 1)
        # Prefer a candidate that differs only by umlauts/case ("buerger" -> "bürger").
        typed = fold(lower.replace("ae", "a").replace("oe", "o").replace("ue", "u"))
        candidates.sort(key=lambda candidate: fold(candidate) != typed)  # stable: frequency order kept
        for candidate in candidates:
            if finds is None or finds(candidate):
                changed = True
                return _match_case(candidate, word)
        return word

    corrected = _WORD.sub(replace, query)
    if not changed:
        return None
    if finds is not None and not finds(corrected):
        return None
    return corrected
