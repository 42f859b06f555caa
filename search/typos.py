"""How far a typed word may be from an indexed one, for every engine (issue 20, "Typos").

The allowed number of edits grows with the length of the word: none below 4 letters (a short
word with one letter changed is usually another word: "Amt"/"Akt"), 1 from 4 letters, 2 from 8.
A transposition of two neighbouring letters ("Antarg" for "Antrag") counts as one edit
(the optimal string alignment distance, "restricted Damerau-Levenshtein").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

#: A word of this many letters may have one typo ...
ONE_EDIT_FROM = 4
#: ... and one of this many, two.
TWO_EDITS_FROM = 8


def allowed_edits(word: str) -> int:
    """The number of edits a typed ``word`` may be away from a word of the index."""
    if len(word) >= TWO_EDITS_FROM:
        return 2
    if len(word) >= ONE_EDIT_FROM:
        return 1
    return 0


def distance(a: str, b: str, limit: int | None = None) -> int:
    """Edits (insertion, deletion, substitution, transposition of neighbours) from ``a`` to ``b``.
    With ``limit``: any value above ``limit`` is returned as ``limit + 1`` (and found sooner)."""
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if limit is not None and min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    result = previous[len(b)]
    return result if limit is None or result <= limit else limit + 1


def transpositions(word: str) -> list[str]:
    """``word`` with each pair of neighbouring (different) letters swapped."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]]


def within(typed: str, candidate: str) -> bool:
    """Whether ``candidate`` is close enough to ``typed`` to be offered for it."""
    edits = allowed_edits(typed)
    return edits > 0 and distance(typed, candidate, edits) <= edits


_WORD = re.compile(r"\w+")


def match_case(suggestion: str, original: str) -> str:
    """``suggestion`` capitalised like ``original`` ("Akten" for "Pkten")."""
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def correct(
    query: str, candidates: Callable[[str], Iterable[str]], finds: Callable[[str], bool] | None = None
) -> str | None:
    """ "Meinten Sie": ``query`` with each word replaced by the first of ``candidates(word)``
    (nothing for a word the index knows; best first) that ``finds`` accepts, or ``None`` if no
    word changed or the corrected query as a whole finds nothing. Every engine's suggestion."""
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        for candidate in candidates(word):
            if finds is None or finds(candidate):
                changed = True
                return match_case(candidate, word)
        return word

    corrected = _WORD.sub(replace, query)
    if not changed:
        return None
    if finds is not None and not finds(corrected):
        return None
    return corrected
