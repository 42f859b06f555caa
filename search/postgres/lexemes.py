"""Text as the PostgreSQL engine stores and asks it: our German analysis, written as ``tsvector``
and ``tsquery`` literals, so PostgreSQL's own text search configuration never touches a word.

A document's text becomes the lexemes of :mod:`search.analysis` (lower case, ae/oe/ue read as
umlauts, German stop words dropped, Snowball German stem, folded: "Anträge" -> ``antrag``,
"Strasse"/"Straße" -> ``strass``) at the word's position, with the weight of its field
(A = title ... D). A compound also yields its parts (:mod:`search.compounds`: "Anwohnerparkausweis"
-> ``anwohn``, ``park``, ``ausweis``) at the compound's position with weight D, so a part finds
the compounds that contain it at either end ("Antrag" -> "Bauantrag", "Anwohnerpark" ->
"Anwohnerparkausweis") and ranks them below a document that has the word itself.

Literals are cast (``'…'::tsvector``, ``'…'::tsquery``): no configuration, no parser, the stored
lexemes are exactly those written here, whatever the server's ``default_text_search_config``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ..analysis import COMPOUND_PART_MIN_WORD, TEXT, WORD_PATTERN, autocomplete_query_terms, compound_parts

_WORD = re.compile(WORD_PATTERN)

#: PostgreSQL keeps positions 1..16383 (larger ones become 16383) and at most 256 per lexeme.
MAX_POSITION = 16383
POSITIONS_PER_LEXEME = 64
#: The weight of compound parts (below every field's own weight).
PART_WEIGHT = "D"
#: Longest lexeme written (PostgreSQL's limit is 2 KB; longer "words" are data, not language).
MAX_LEXEME = 60


def stems(word: str) -> tuple[str, ...]:
    """The index terms of one word (none for a stop word): ``stems("Anträge") == ("antrag",)``."""
    return TEXT.terms(word)


@lru_cache(maxsize=100_000)
def part_stems(word: str) -> tuple[str, ...]:
    """The stemmed parts of a compound word, each once, without the word's own stem; ``()`` for a
    word that is no compound."""
    parts = compound_parts(word)
    if len(parts) < 2:
        return ()
    own = set(stems(word))
    out: list[str] = []
    for part in parts:
        for stem in stems(part):
            if stem not in own and stem not in out:
                out.append(stem)
    return tuple(out)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def document_lexemes(texts: Iterable[tuple[str, str]]) -> dict[str, list[tuple[int, str]]]:
    """``{lexeme: [(position, weight), ...]}`` of ``[(text, weight), ...]``, positions running on
    from one text to the next."""
    out: dict[str, list[tuple[int, str]]] = {}
    position = 0
    for text, weight in texts:
        for match in _WORD.finditer(text or ""):
            word = match.group(0)
            terms = stems(word)
            if not terms:
                continue
            position = min(position + 1, MAX_POSITION)
            for term in terms:
                if len(term) <= MAX_LEXEME:
                    out.setdefault(term, []).append((position, weight))
            if len(word) >= COMPOUND_PART_MIN_WORD:
                for part in part_stems(word):
                    out.setdefault(part, []).append((position, PART_WEIGHT))
    return out


def tsvector_literal(texts: Iterable[tuple[str, str]]) -> str:
    """The ``tsvector`` of ``[(text, weight), ...]`` as literal text (``"'antrag':1A,7B 'bau':7D"``)."""
    lexemes = document_lexemes(texts)
    return " ".join(
        _quote(lexeme) + ":" + ",".join(f"{pos}{weight}" for pos, weight in _positions(entries))
        for lexeme, entries in lexemes.items()
    )


def _positions(entries: list[tuple[int, str]]) -> list[tuple[int, str]]:
    # One weight per position (the strongest), the first POSITIONS_PER_LEXEME positions.
    best: dict[int, str] = {}
    for pos, weight in entries:
        if pos not in best or weight < best[pos]:
            best[pos] = weight
    return sorted(best.items())[:POSITIONS_PER_LEXEME]


def autocomplete_literal(texts: Iterable[tuple[str, str]]) -> str:
    """The ``tsvector`` of the words to complete: folded, unstemmed, every word once."""
    words: dict[str, None] = {}
    for text, _weight in texts:
        for term in autocomplete_query_terms(text or ""):
            if len(term) <= MAX_LEXEME:
                words[term] = None
    return " ".join(_quote(word) for word in words)


def words(text: str) -> Iterator[str]:
    yield from (match.group(0) for match in _WORD.finditer(text or ""))


# --- queries ------------------------------------------------------------------------------------


def term(lexeme: str, *, prefix: bool = False, weights: str = "") -> str:
    """One ``tsquery`` operand."""
    label = ("*" if prefix else "") + weights
    return _quote(lexeme) + (":" + label if label else "")


def _joined(operands: list[str], operator: str) -> str:
    operands = [op for op in operands if op]
    if len(operands) <= 1:
        return operands[0] if operands else ""
    return "(" + f" {operator} ".join(operands) + ")"


def any_of(operands: list[str]) -> str:
    return _joined(operands, "|")


def all_of(operands: list[str]) -> str:
    return _joined(operands, "&")


def negate(operand: str) -> str:
    return "!" + operand if operand else ""


def phrase(lexemes: list[str]) -> str:
    if not lexemes:
        return ""
    return "(" + " <-> ".join(_quote(lexeme) for lexeme in lexemes) + ")"
