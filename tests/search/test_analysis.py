"""German analysis (search.analysis): what a word becomes in the index and in a query."""

import pickle

import pytest

from search.analysis import (
    autocomplete_analyzer,
    autocomplete_query_analyzer,
    autocomplete_query_terms,
    fold,
    german_analyzer,
    normalise_digraphs,
    query_terms,
    reversed_analyzer,
    spelling_analyzer,
)


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
    tokens = [t.text for t in reversed_analyzer()("Bauanträge")]
    assert tokens == ["gartnauab"]  # "bauantrag" reversed: a prefix query "gartna*" finds it


def test_autocomplete_writes_edge_ngrams_of_folded_words():
    grams = [t.text for t in autocomplete_analyzer()("Grünflächenamt")]
    assert grams[:4] == ["g", "gr", "gru", "grun"]
    assert "grunflachenamt" in grams


def test_autocomplete_query_terms_are_not_stemmed():
    assert autocomplete_query_terms("Genehmigu") == ["genehmigu"]
    assert autocomplete_query_terms("Grünfl") == ["grunfl"]
    assert autocomplete_query_terms("Gruenfl") == ["grunfl"]


def test_spelling_field_keeps_whole_words_with_umlauts():
    assert [t.text for t in spelling_analyzer()("Die Anträge")] == ["die", "anträge"]


SENTENCES = [
    "Der Antrag auf Genehmigung wird von dem Bürgeramt für die Bürger bearbeitet.",
    "Die Straßenreinigung (Strasse, Straße) beginnt um 7 Uhr; Öffnungszeiten: Mo-Fr.",
    "Fuer Buerger: Quellen, Café, Bau-Antrag, Urlaubsanträge und Persönlichkeitsrechte",
    "",
    " -- ",
]


@pytest.mark.parametrize(
    "make",
    [german_analyzer, reversed_analyzer, autocomplete_analyzer, autocomplete_query_analyzer, spelling_analyzer],
)
@pytest.mark.parametrize(
    "options",
    [{}, {"positions": True}, {"positions": True, "start_pos": 7}, {"mode": "index"}, {"mode": "query"}],
)
def test_cached_analysis_gives_the_filter_chains_tokens(make, options):
    # The analyzers cache what each word becomes; the index must not see a difference.
    analyzer = make()
    for _ in range(2):  # the second round answers from the cache
        for sentence in SENTENCES:
            cached = [(t.text, getattr(t, "pos", None), t.stopped) for t in analyzer(sentence, **options)]
            chain = [(t.text, getattr(t, "pos", None), t.stopped) for t in analyzer.chain(sentence, **options)]
            assert cached == chain


def test_phrase_positions_skip_stop_words_as_before():
    tokens = [(t.text, t.pos) for t in german_analyzer()("der Antrag der Bürger", positions=True)]
    assert tokens == [("antrag", 1), ("burg", 2)]


def test_highlighting_offsets_come_from_the_chain():
    tokens = [(t.text, t.startchar, t.endchar) for t in german_analyzer()("Die Anträge", chars=True)]
    assert tokens == [("antrag", 4, 11)]


def test_analyzers_survive_the_schema_stored_in_the_index():
    # Whoosh pickles the schema, analyzers included, into the index's table of contents.
    for make in (german_analyzer, reversed_analyzer, autocomplete_analyzer, spelling_analyzer):
        analyzer = make()
        list(analyzer("Anträge der Bürger"))  # a filled cache is not pickled
        restored = pickle.loads(pickle.dumps(analyzer))  # noqa: S301 (our own bytes)
        assert restored == analyzer
        assert [t.text for t in restored("Anträge der Bürger")] == [t.text for t in analyzer("Anträge der Bürger")]
