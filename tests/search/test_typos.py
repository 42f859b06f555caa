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
