import pytest

from search import typos


@pytest.mark.parametrize(
    ("word", "edits"),
    [("amt", 0), ("akte", 1), ("antrag", 1), ("bauamtx", 1), ("personal", 2), ("ordnungsamt", 2)],
)
def test_allowed_edits_grow_with_the_length_of_the_word(word, edits):
    assert typos.allowed_edits(word) == edits


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("antrag", "antrag", 0),
        ("antarg", "antrag", 1),  # a transposition is one edit
        ("antrg", "antrag", 1),
        ("antrax", "antrag", 1),
        ("antragg", "antrag", 1),
        ("persnalart", "personalrat", 2),
        ("abc", "cba", 2),
        ("", "abc", 3),
    ],
)
def test_distance_counts_a_transposition_as_one_edit(a, b, expected):
    assert typos.distance(a, b) == expected
    assert typos.distance(b, a) == expected


def test_distance_with_a_limit_stops_early_above_it():
    assert typos.distance("ordnungsamt", "bauamt", 2) == 3
    assert typos.distance("ordnungsamt", "ordnungsant", 2) == 1


def test_within_uses_the_allowed_edits_of_the_typed_word():
    assert typos.within("antarg", "antrag")
    assert not typos.within("amt", "akt")  # too short for any typo
    assert typos.within("persnalart", "personalrat")  # 10 letters: two edits
    assert not typos.within("antrgx", "antrag")  # 6 letters: one edit only


def test_transpositions_swap_neighbours():
    assert typos.transpositions("abc") == ["bac", "acb"]
    assert typos.transpositions("aab") == ["aba"]


# --- the Whoosh engine's automaton (search.whoosh.suggest) follows the same distance -------------

WORDS = ["", "a", "ab", "ba", "abc", "abca", "aabb", "abab", "cbca"]


@pytest.mark.parametrize("edits", [1, 2])
@pytest.mark.parametrize("prefix", [0, 1])
def test_the_whoosh_automaton_accepts_exactly_the_words_within_the_distance(edits, prefix):
    from itertools import product

    from search.whoosh.suggest import typo_automaton

    for word in WORDS:
        if prefix > len(word):
            continue
        dfa = typo_automaton(word, edits, prefix)
        for length in range(len(word) + edits + 1):
            for letters in product("abc", repeat=length):
                candidate = "".join(letters)
                expected = typos.distance(word, candidate) <= edits and candidate[:prefix] == word[:prefix]
                assert dfa.accept(candidate) == expected, (word, candidate)


@pytest.mark.parametrize("memory_words", [20_000, 0], ids=["in memory", "on disk"])
def test_words_within_finds_the_close_words_of_every_segment(memory_words, monkeypatch):
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from search.whoosh import suggest as whoosh_suggest
    from search.whoosh.suggest import words_within

    monkeypatch.setattr(whoosh_suggest, "MEMORY_WORDS", memory_words)

    index = RamStorage().create_index(Schema(text=TEXT))
    for text in ("antrag vertrag", "antarg bauantrag"):  # two commits: two segments
        with index.writer() as writer:
            writer.add_document(text=text)
    with index.reader() as reader:
        assert len(reader.leaf_readers()) == 2
        assert words_within(reader, "text", "antrag", 1) == {"antrag", "antarg"}
        assert words_within(reader, "text", "antrga", 1) == {"antrag"}
        assert words_within(reader, "text", "bauantrga", 2, prefix=1) == {"bauantrag"}
        assert words_within(reader, "text", "xntrag", 1, prefix=1) == set()
