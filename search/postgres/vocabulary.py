"""Every word the PostgreSQL engine has indexed, for typo tolerance and "Meinten Sie".

Table ``search_vocabulary`` (migration ``search.0005``): the word as written in lower case
(``bürgerbüro``), its folded form (``burgerburo``, what typos are measured on) with a ``pg_trgm``
GiST index, and its lexeme (``burgerburo``, what the index stores). Indexing adds the words of
each object (and the parts of its compounds); a rebuild starts the table afresh. A word that
stays after its last document went away is harmless: a suggestion is only offered when a
search for it finds something the user may see.

Typo candidates are the nearest words by trigram distance (``ORDER BY folded <-> word``, the
GiST index answers it without reading the table), kept if :func:`search.typos.within` allows
them (1 edit from 4 letters, 2 from 8, a transposition is one edit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from .. import typos
from ..analysis import compound_parts, fold, normalise_digraphs
from . import lexemes

TABLE = "search_vocabulary"
#: Candidates read per unknown word before the edit distance decides.
NEAREST = 40
#: Alternatives a word may bring into a query.
MAX_ALTERNATIVES = 8
MIN_LENGTH, MAX_LENGTH = 3, 40

_WORD = re.compile(r"\w+")


def folded(word: str) -> str:
    return fold(normalise_digraphs(word.lower()))


@lru_cache(maxsize=200_000)
def _word_rows(lower: str) -> tuple[tuple[str, str, str], ...]:
    """The rows of one lower-cased word: itself and the parts of a compound."""
    candidates = [lower, *compound_parts(lower)]
    rows = []
    for candidate in candidates:
        stems = lexemes.stems(candidate)
        if stems and len(candidate) >= MIN_LENGTH:
            rows.append((candidate, folded(candidate), stems[0]))
    return tuple(rows)


def _rows(words: Iterable[str]) -> list[tuple[str, str, str]]:
    rows = []
    for lower in {word.lower() for word in words}:
        if MIN_LENGTH <= len(lower) <= MAX_LENGTH and lower.isalpha():
            rows.extend(_word_rows(lower))
    return rows


def add(connection, words: Iterable[str]) -> None:
    """Adds the words not yet known (one statement; known words are skipped by the database, not
    by a cache in this process, which a rolled-back transaction would leave wrong)."""
    rows = {row[0]: row for row in _rows(words)}
    if not rows:
        return
    columns = list(zip(*rows.values(), strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_vocabulary (word, folded, lexeme) "
            "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) ON CONFLICT (word) DO NOTHING",
            [list(columns[0]), list(columns[1]), list(columns[2])],
        )


def reset(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_vocabulary")


def _known(connection, stems: list[str]) -> set[str]:
    if not stems:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT lexeme FROM search_vocabulary WHERE lexeme = ANY(%s::text[])", [stems])
        return {row[0] for row in cursor.fetchall()}


def _nearest(connection, words: list[str]) -> dict[str, list[tuple[int, str, str]]]:
    """``{folded word: [(edits, word, lexeme), ...]}``, closest first, within the allowed edits."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT q.w, v.word, v.folded, v.lexeme FROM unnest(%s::text[]) AS q(w) "
            "CROSS JOIN LATERAL (SELECT word, folded, lexeme FROM search_vocabulary "
            "ORDER BY folded <-> q.w LIMIT %s) AS v",
            [words, NEAREST],
        )
        out: dict[str, list[tuple[int, str, str]]] = {}
        for typed, word, candidate, lexeme in cursor.fetchall():
            edits = typos.allowed_edits(typed)
            distance = typos.distance(typed, candidate, edits)
            if distance <= edits:
                out.setdefault(typed, []).append((distance, word, lexeme))
    for found in out.values():
        found.sort()
    return out


def _unknown(connection, words: Iterable[str]) -> dict[str, str]:
    """``{word: folded}`` of the words whose lexeme the index does not have and that are long
    enough for a typo."""
    todo = {}
    for word in words:
        stems = lexemes.stems(word)
        if stems and typos.allowed_edits(folded(word)) and word.isalpha():
            todo[word] = stems[0]
    if not todo:
        return {}
    known = _known(connection, sorted(set(todo.values())))
    return {word: folded(word) for word, stem in todo.items() if stem not in known}


def alternatives(connection, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """``{word: lexemes of known words within the typo distance}`` for the words of a query the
    index does not know (two small queries for all words)."""
    unknown = _unknown(connection, words)
    near = _nearest(connection, sorted(set(unknown.values())))
    out = {}
    for word, key in unknown.items():
        found = list(dict.fromkeys(lexeme for _, _, lexeme in near.get(key, ())))[:MAX_ALTERNATIVES]
        if found:
            out[word] = tuple(found)
    return out


def suggest(connection, query: str, finds: Callable[[str], bool] | None = None) -> str | None:
    """``query`` with each word the index does not know replaced by the closest known word
    (fewest edits; a word that differs only by umlauts or ß first), or ``None``. With ``finds``
    a word is only offered if a search for it finds something, and the whole corrected query
    only if it finds something as a whole."""
    words = [match.group(0) for match in _WORD.finditer(query)]
    unknown = _unknown(connection, words)
    near = _nearest(connection, sorted(set(unknown.values())))

    def candidates(word: str) -> list[str]:
        key = unknown.get(word)
        if key is None:
            return []
        return [row[1] for row in sorted(near.get(key, ()), key=lambda row: (folded(row[1]) != key, row[0]))]

    return typos.correct(query, candidates, finds)
