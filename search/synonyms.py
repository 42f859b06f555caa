"""Synonyms and abbreviations editors maintain (the snippet "Synonyme und Abkürzungen",
:class:`search.models.Synonym`): a search for one term of an entry also finds the others.

Engine-independent and at query time: :func:`expand` turns the query text into a modelsearch
query in which each term that belongs to an entry is an ``Or`` of the entry's terms (a term of
several words an ``And`` group, ``PlainText(..., operator="and")``); the rest of the query stays
as typed. An entry's other terms are :class:`ExactText`: searched without typo tolerance. Both engines (Whoosh and Wagtail's database backend) compile that query with their own
analysis, so nothing is written into any index and an edit takes effect on the next search - no
rebuild. :func:`search.unified.ranked` is the one caller.

Terms are compared word by word after the German folding of the index (:func:`fold` of
:func:`normalise_digraphs`): "KiTa", "Kita", "kita" are one term, as are "Bürgerbüro" and
"Buergerbuero"; "DS-GVO" is the two words "ds gvo", "DSGVO" one word.

The entries are loaded once per process and kept until an entry is saved or deleted: a version
key in Django's cache (shared by all app servers when the cache is) is changed then, and each
process reloads when it sees a version it has not loaded. A process reads that key at most once
per :data:`VERSION_TTL` (a cache round trip - a database query with the database cache - is not
paid by every search): an edit takes effect at once in the process that made it, and within a
second in the others.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from modelsearch.query import PlainText

from .analysis import GERMAN_STOPWORDS, fold, normalise_digraphs
from .compounds import split_compound
from .synonym_terms import split_terms, term_key

VERSION_KEY = "search:synonyms:version"
#: Seconds a process keeps the version it read before it reads the key again.
VERSION_TTL = 1.0

_WORD = re.compile(r"\w+")


# --- the loaded list ----------------------------------------------------------------------------


@dataclass
class Table:
    #: folded words of a term -> the entry's terms (as written, one per folded form)
    groups: dict
    #: the most words any term has
    longest: int


_loaded: tuple = (None, None)  # (version, Table)
_checked = float("-inf")  # when this process last read the version (_now())
_lock = threading.Lock()
_now = time.monotonic


def build_table(entries) -> Table:
    groups: dict = {}
    longest = 1
    for text in entries:
        terms = {}
        for term in split_terms(text):
            key = term_key(term)
            if key and key not in terms:
                terms[key] = term
        if len(terms) < 2:
            continue
        group = tuple(terms.values())
        for key in terms:
            groups.setdefault(key, group)
            longest = max(longest, len(key))
    return Table(groups, longest)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return version


def table() -> Table:
    """The entries as a lookup table: at most one cache read per process and second
    (:data:`VERSION_TTL`), one database query per process and edit."""
    global _loaded, _checked
    now = _now()
    if _loaded[1] is not None and now - _checked < VERSION_TTL:
        return _loaded[1]
    version = _version()
    _checked = now
    if _loaded[0] != version or not version:
        with _lock:
            if _loaded[0] != version or not version:
                from .models import Synonym

                _loaded = (version, build_table(Synonym.objects.values_list("terms", flat=True)))
    return _loaded[1]


def changed(**kwargs) -> None:
    """An entry was saved or deleted (signal receiver): every process reloads at its next search.
    The version changes now (this request's own next search) and again after the commit (a
    process that reloaded in between read the old rows)."""
    from django.db import transaction

    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    """A new version in the cache; this process reads it at its next search."""
    global _checked
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _checked = float("-inf")


def forget() -> None:
    """Drops this process's copy and the version (tests: the database was rolled back)."""
    global _loaded, _checked
    _loaded = (None, None)
    _checked = float("-inf")
    cache.delete(VERSION_KEY)


# --- expansion ----------------------------------------------------------------------------------


class ExactText(PlainText):
    """Text the expansion supplies (an entry's other terms): its words are searched as written,
    without the typo tolerance typed words get - the list's words are not typos, and a word no
    document has would otherwise be looked up as a typo of every close word at each search.
    Engines read ``exact``; one that does not know it searches the text as plain text."""

    exact = True

    def __repr__(self):
        return f"<ExactText {self.query_string!r} operator={self.operator!r} boost={self.boost!r}>"


def _words_only(text: str) -> str:
    """``text`` from its first to its last word character ("", if it has none)."""
    words = list(_WORD.finditer(text))
    return text[words[0].start() : words[-1].end()] if words else ""


def _filler(word: str) -> bool:
    """A German stop word typed in lower case ("da", "ob") is a word of the sentence, not the
    abbreviation (DA, OB): it is not expanded."""
    return not word.isupper() and (word.lower() in GERMAN_STOPWORDS or fold(word) in GERMAN_STOPWORDS)


def _compound_group(word: str) -> list[str] | None:
    """A compound typed as one word also finds its parts standing apart ("Ratssitzung" ->
    "Sitzung des Rates"): ``[word, "rat sitzung"]``, or None for a word that is no compound
    (search/compounds.py). The whole word stays first, so an exact match keeps ranking highest."""
    parts = split_compound(word.lower())
    if len(parts) < 2:
        return None
    return [word, " ".join(parts)]


def expand(q: str, *, operator: str = "and", table_: Table | None = None):
    """``q`` with each term of an entry replaced by an ``Or`` of the entry's terms, and each
    compound word by an ``Or`` of itself and its parts (all required), as a modelsearch query whose
    parts are joined by ``operator``; ``q`` itself (the string) if nothing was expanded. The
    longest term wins where terms overlap ("SGB II" before "SGB"); text outside the terms stays as
    typed (``PlainText`` with ``operator``)."""
    from modelsearch.query import And, Or

    found = table_ if table_ is not None else table()
    words = list(_WORD.finditer(q))
    keys = [fold(normalise_digraphs(word.group(0).lower())) for word in words]
    parts, rest_from, i, matched = [], 0, 0, False
    while i < len(words):
        group = None
        for n in range(min(found.longest, len(words) - i), 0, -1):
            group = found.groups.get(tuple(keys[i : i + n]))
            if group is not None and n == 1 and _filler(words[i].group(0)):
                group = None
            if group is not None:
                break
        listed = group is not None
        if group is None:
            n = 1
            group = _compound_group(words[i].group(0))
        if group is None:
            i += 1
            continue
        rest = _words_only(q[rest_from : words[i].start()])
        if rest:
            parts.append(PlainText(rest, operator=operator))
        # The list's other terms are exact; a compound's parts keep the typo tolerance, which also
        # bridges a part to its inflected forms ("Streupflicht": "streu" finds "streut").
        typed = tuple(keys[i : i + n])
        terms = [
            ExactText(term, operator="and") if listed and term_key(term) != typed else PlainText(term, operator="and")
            for term in group
        ]
        parts.append(Or(terms))
        matched = True
        rest_from = words[i + n - 1].end()
        i += n
    if not matched:
        return q
    rest = _words_only(q[rest_from:])
    if rest:
        parts.append(PlainText(rest, operator=operator))
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)
