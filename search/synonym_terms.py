"""How the terms of a synonym entry are written and compared: comma separated, word by word after
the German folding of the index. ``search.models.Synonym`` checks an entry with
:func:`clean_terms`; ``search.synonyms`` builds its table with :func:`split_terms` and
:func:`term_key`. Imports no model, so neither of them imports the other for it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .analysis import fold, normalise_digraphs

#: Longest term in characters and in words; at most this many terms in one entry.
MAX_TERM_LENGTH = 80
MAX_TERM_WORDS = 6
MAX_TERMS = 20

_WORD = re.compile(r"\w+")


def term_key(term: str) -> tuple[str, ...]:
    """The folded words of a term: ``term_key("DS-GVO") == ("ds", "gvo")``."""
    return tuple(fold(normalise_digraphs(word.lower())) for word in _WORD.findall(term))


def split_terms(text: str) -> list[str]:
    """The terms of an entry as written (comma separated), whitespace tidied; empty items kept
    (as "") so :func:`clean_terms` can say so."""
    return [" ".join(item.split()) for item in (text or "").split(",")]


def clean_terms(text: str, *, others: Iterable[str]) -> str:
    """The entry's terms, checked, as they are stored ("OWiG, Ordnungswidrigkeitengesetz").
    Raises ValidationError (for the form field) with every problem found. Terms that fold to the
    same words (KiTa, Kita) may stand in one entry; a term another entry (``others``: their
    terms as stored) has may not."""
    terms = split_terms(text)
    errors = []
    if len(terms) > 1 and any(not term for term in terms):
        errors.append(_("A term is empty: remove the extra comma."))
    terms = [term for term in terms if term]
    for term in terms:
        if len(term) > MAX_TERM_LENGTH:
            errors.append(
                _("“%(term)s” is too long: a term has at most %(max)s characters.")
                % {"term": term[:30] + "…", "max": MAX_TERM_LENGTH}
            )
        elif not term_key(term):
            errors.append(_("“%(term)s” contains no letters or digits.") % {"term": term})
        elif len(term_key(term)) > MAX_TERM_WORDS:
            errors.append(_("“%(term)s” has too many words: at most %(max)s.") % {"term": term, "max": MAX_TERM_WORDS})
    if len({term_key(term) for term in terms if term_key(term)}) < 2 and not errors:
        errors.append(_("Enter at least two different terms, separated by commas."))
    if len(terms) > MAX_TERMS:
        errors.append(_("An entry has at most %(max)s terms.") % {"max": MAX_TERMS})
    if not errors:
        mine = {term_key(term): term for term in terms}
        for other in others:
            for other_term in split_terms(other):
                if other_term and term_key(other_term) in mine:
                    errors.append(
                        _("“%(term)s” is already in another entry: “%(other)s”. Add the terms there instead.")
                        % {"term": mine[term_key(other_term)], "other": other}
                    )
    if errors:
        raise ValidationError(errors)
    return ", ".join(terms)
