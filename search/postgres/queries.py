"""Queries of the PostgreSQL engine: a modelsearch query as ``tsquery`` text with our German
analysis (:class:`QueryText`), and the ``tsquery`` literal expression (:class:`RawTsQuery`)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery
from django.db.models import Value
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

from . import lexemes, vocabulary


class RawTsQuery(SearchQuery):
    """A ``tsquery`` literal: ``'…'::tsquery``, no configuration, no parser."""

    def __init__(self, text: str, *, invert: bool = False):
        self.text = text
        super().__init__(Value(text), invert=invert, search_type="raw")

    def as_sql(self, compiler, connection, **extra_context):
        sql = "%s::tsquery"
        if self.invert:
            sql = f"!!({sql})"
        return sql, [self.text]

    def __invert__(self):
        return RawTsQuery(self.text, invert=not self.invert)


class QueryText:
    """Turns a modelsearch query into ``tsquery`` text with our analysis. Words the index does not
    know also match the known words within the allowed typo distance (one vocabulary query for
    all words of the query), except the words of an ``exact`` text (the synonym list's)."""

    def __init__(self, connection, *, fuzzy=True):
        self.connection = connection
        self.fuzzy = fuzzy
        self._alternatives: dict[str, tuple[str, ...]] | None = None

    def words_of(self, query) -> list[str]:
        """The words that may be typos: not those of an ``exact`` text (the synonym list's)."""
        if isinstance(query, PlainText) and getattr(query, "exact", False):
            return []
        if isinstance(query, (PlainText, Fuzzy, Phrase)):
            return list(lexemes.words(query.query_string))
        if isinstance(query, (Boost, Not)):
            return self.words_of(query.subquery)
        if isinstance(query, (And, Or)):
            return [word for sub in query.subqueries for word in self.words_of(sub)]
        return []

    def prepare(self, query) -> None:
        if self.fuzzy and self._alternatives is None:
            self._alternatives = vocabulary.alternatives(self.connection, self.words_of(query))

    def word(self, word: str, *, exact: bool = False) -> str:
        stems = lexemes.stems(word)
        if not stems:
            return ""
        operands = [lexemes.term(stem) for stem in stems]
        if not exact:
            for alternative in (self._alternatives or {}).get(word, ()):
                operands.append(lexemes.term(alternative))
        return lexemes.any_of(operands)

    def text(self, query, invert: bool = False) -> str | None:
        """``tsquery`` text, :data:`EVERYTHING` (``None``: MatchAll) or :data:`NOTHING`; ``""`` for
        words without a lexeme (stop words only), which match nothing."""
        if isinstance(query, MatchAll):
            return NOTHING if invert else EVERYTHING
        if isinstance(query, Boost):
            return self.text(query.subquery, invert)
        if isinstance(query, Not):
            return self.text(query.subquery, not invert)
        if isinstance(query, (PlainText, Fuzzy)):
            # exact: words the synonym list supplies (search.synonyms.ExactText), no typo alternatives
            exact = getattr(query, "exact", False)
            operands = [self.word(word, exact=exact) for word in lexemes.words(query.query_string)]
            operator = getattr(query, "operator", "and")
            combined = lexemes.all_of(operands) if operator == "and" else lexemes.any_of(operands)
            return lexemes.negate(combined) if invert else combined
        if isinstance(query, Phrase):
            stems = [stem for word in lexemes.words(query.query_string) for stem in lexemes.stems(word)]
            combined = lexemes.phrase(stems)
            return lexemes.negate(combined) if invert else combined
        if isinstance(query, (And, Or)):
            parts = [self.text(sub, invert) for sub in query.subqueries]
            if isinstance(query, And) != invert:  # a conjunction
                if NOTHING in parts:
                    return NOTHING
                parts = [part for part in parts if part is not EVERYTHING]
                return lexemes.all_of(parts) if parts else EVERYTHING
            if EVERYTHING in parts:
                return EVERYTHING
            parts = [part for part in parts if part != NOTHING]
            return lexemes.any_of(parts) if parts else NOTHING
        raise NotImplementedError(f"`{query.__class__.__name__}` is not supported by the PostgreSQL search backend.")


#: What :meth:`QueryText.text` answers for a query that matches everything / nothing.
EVERYTHING = None
NOTHING = "!!nothing"
