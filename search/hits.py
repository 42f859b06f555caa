"""What a search hit is, whatever its type: the :class:`Hit` each registered content type builds
(its app's ``search.py``: ``search.registry.SearchType.hit``) and its snippet, :func:`highlight`.
Imports no content app and nothing of ``search.query``."""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass

from .analysis import fold

SNIPPET_LENGTH = 220


@dataclass
class Hit:
    type: str
    id: int
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> only
    department: str
    tags: list[str]
    updated: datetime.datetime | None
    score: float
    file_type: str = ""  # documents: the file's extension ("pdf", "docx")


def query_stems(q: str) -> list[str]:
    """Folded word stems of the query, for highlighting ("Anträge" -> "antra")."""
    stems = []
    for word in re.findall(r"\w+", q):
        word = fold(word)
        if len(word) < 3:
            continue
        stems.append(word[: max(3, len(word) - 2)] if len(word) > 4 else word)
    return stems


_WORD = re.compile(r"\w+")


def highlight(text: str, q: str, *, length: int = SNIPPET_LENGTH) -> str:
    """Escaped ``text`` cut to ``length`` around the first match, matched words in ``<mark>``.
    Only the words up to the first match and those in the cut are looked at, so a long text
    (a wiki page, a document) costs no more than its first match."""
    text = re.sub(r"\s+", " ", text or "").strip()
    stems = query_stems(q)

    def matches(word) -> bool:
        folded = fold(word.group(0))
        return any(stem in folded for stem in stems)

    first = next((word for word in _WORD.finditer(text) if matches(word)), None) if stems else None
    start = 0
    if first is not None and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    out, pos = [], start
    for word in _WORD.finditer(text, start) if first is not None else ():
        if word.end() > end:
            break
        if matches(word):
            out.append(html.escape(text[pos : word.start()]))
            out.append("<mark>" + html.escape(word.group(0)) + "</mark>")
            pos = word.end()
    out.append(html.escape(text[pos:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(out) + suffix
