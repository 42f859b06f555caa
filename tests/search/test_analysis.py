"""German analysis (search.analysis, plain Python): what a word becomes in either engine's index
and in a query. The Whoosh analyzers around it: tests/search/test_whoosh_analyzers.py."""

import pytest

from search.analysis import (
    AUTOCOMPLETE,
    REVERSED,
    SPELLING,
    TEXT,
    autocomplete_query_terms,
    fold,
    normalise_digraphs,
    query_terms,
)
from search.postgres import lexemes


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Straße", "Strasse"),
        ("Bürger", "Buerger"),
        ("Bürger", "Burger"),
        ("Anträge", "Antrag"),
        ("Anträge", "Antraege"),
        ("Genehmigungen", "Genehmigung"),
        ("Häuser", "Haus"),
        ("Öffnungszeiten", "Oeffnungszeiten"),
        ("FÜHRUNGSZEUGNIS", "führungszeugnis"),
        ("Café", "Cafe"),
    ],
)
def test_spellings_of_one_word_meet_in_the_index(written, typed):
    assert query_terms(written) == query_terms(typed)


def test_stemming_keeps_different_words_apart():
    assert query_terms("Antrag") != query_terms("Vertrag")
    assert query_terms("Personalrat") != query_terms("Personal")


def test_stop_words_are_dropped_from_a_german_sentence():
    terms = query_terms("Der Antrag auf Genehmigung wird von dem Bürgeramt für die Bürger bearbeitet")
    assert terms == query_terms("Antrag Genehmigung Bürgeramt Bürger bearbeitet")
    assert "der" not in terms and "fur" not in terms


def test_transliterated_stop_word_is_stopped_too():
    assert query_terms("fuer die Buerger") == query_terms("Bürger")


def test_quelle_keeps_its_ue():
    # "ue" after "q" is no umlaut
    assert normalise_digraphs("quelle") == "quelle"
    assert query_terms("Quellen") == query_terms("Quelle")


def test_fold():
    assert fold("Straße") == "strasse"
    assert fold("Bürgerbüro") == "burgerburo"
    assert fold("Café Müller") == "cafe muller"


def test_hyphenated_words_are_split():
    assert query_terms("Bau-Antrag") == query_terms("Bau Antrag")


def test_compound_field_writes_words_backwards():
    assert REVERSED.text_terms("Bauanträge") == ["gartnauab"]  # "bauantrag": a prefix query "gartna*" finds it


def test_autocomplete_writes_edge_ngrams_of_folded_words():
    grams = AUTOCOMPLETE.text_terms("Grünflächenamt")
    assert grams[:4] == ["g", "gr", "gru", "grun"]
    assert "grunflachenamt" in grams


def test_autocomplete_ngrams_stop_at_the_longest_gram():
    grams = AUTOCOMPLETE.text_terms("Grundstücksverkehrsgenehmigung")
    assert len(grams) == 20 and grams[-1] == "grundstucksverkehrsg"
    assert autocomplete_query_terms("Grundstücksverkehrsgenehmigung") == ["grundstucksverkehrsg"]


def test_autocomplete_query_terms_are_not_stemmed():
    assert autocomplete_query_terms("Genehmigu") == ["genehmigu"]
    assert autocomplete_query_terms("Grünfl") == ["grunfl"]
    assert autocomplete_query_terms("Gruenfl") == ["grunfl"]


def test_spelling_field_keeps_whole_words_with_umlauts():
    assert SPELLING.text_terms("Die Anträge zu") == ["die", "anträge"]


def test_a_dropped_word_is_known_as_dropped_and_keeps_its_normal_form():
    assert TEXT.terms("Für") == () and TEXT.is_dropped("Für") and TEXT.dropped_form("Fuer") == "fur"
    assert TEXT.terms("E") == () and TEXT.is_dropped("E")
    assert not TEXT.is_dropped("Anträge")


def test_the_postgres_engine_writes_the_terms_of_the_one_analysis():
    # The PostgreSQL engine's lexemes are the TEXT terms (plus compound parts, weight D).
    text = "Der Antrag auf Genehmigung wird von dem Bürgeramt für die Buerger bearbeitet"
    written = lexemes.document_lexemes([(text, "A")])
    assert {lexeme for lexeme, entries in written.items() if any(w == "A" for _, w in entries)} == set(
        query_terms(text)
    )
    assert all(lexemes.stems(word) == TEXT.terms(word) for word in text.split())
