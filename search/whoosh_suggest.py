"""Spelling suggestions ("Meinten Sie: …") from the words in the index."""

from __future__ import annotations

import re

from .analysis import fold
from .whoosh_store import SPELLING_FIELD

_WORD = re.compile(r"\w+")


def _match_case(suggestion: str, original: str) -> str:
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def suggest(backend, query: str, model_or_queryset=None) -> str | None:
    """Replaces each word of ``query`` the index does not know by the closest word it does
    (edit distance up to 2, most frequent first). Returns ``None`` if nothing changes, or if
    ``model_or_queryset`` is given and the corrected query finds nothing there."""
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
        for candidate in candidates:
            if fold(candidate) == fold(lower.replace("ae", "a").replace("oe", "o").replace("ue", "u")):
                changed = True
                return _match_case(candidate, word)
        if candidates:
            changed = True
            return _match_case(candidates[0], word)
        return word

    corrected = _WORD.sub(replace, query)
    if not changed:
        return None
    if model_or_queryset is not None and not backend.search(corrected, model_or_queryset, operator="or").count():
        return None
    return corrected
