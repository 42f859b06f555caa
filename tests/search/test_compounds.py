"""German decompounding (search.compounds): the splitter's precision and recall on municipal
compounds, the linking elements, and the edge cases an engine will hand it."""

import subprocess
import sys
from pathlib import Path

import pytest

from search.compounds import split_compound

DATA = Path(__file__).parent / "data"


def read_gold(name):
    """(word, gold) pairs; gold is None for a word that must stay whole, else one set of
    accepted forms per part."""
    gold = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, parts = line.split("\t")
        gold.append((word, None if parts == "-" else [set(p.split("|")) for p in parts.split("+")]))
    return gold


def score(gold):
    """precision = correct splits / words split, recall = correct splits / gold compounds
    (a split is correct when every part equals the gold part); plus the non-compounds split."""
    split = correct = compounds = 0
    wrongly_split = []
    for word, parts_gold in gold:
        parts = split_compound(word)
        if parts_gold is None:
            if parts:
                wrongly_split.append((word, parts))
            continue
        compounds += 1
        if parts:
            split += 1
            if len(parts) == len(parts_gold) and all(
                part in accepted for part, accepted in zip(parts, parts_gold, strict=True)
            ):
                correct += 1
    return correct / split, correct / compounds, compounds, wrongly_split


def test_precision_and_recall_on_municipal_compounds():
    # compounds.tsv: 444 compounds and 74 words that are none. search/compound_words.txt was
    # tuned on this list, so these numbers are the ceiling; the held-out list below is the
    # honest measure. Measured: precision 443/444, recall 443/444.
    precision, recall, compounds, wrongly_split = score(read_gold("compounds.tsv"))
    assert compounds >= 300
    assert precision >= 0.99
    assert recall >= 0.99
    assert wrongly_split == []


def test_precision_and_recall_on_held_out_compounds():
    # compounds_heldout.tsv: 94 compounds and 10 words that are none, written after the tuning.
    # First measurement, before anything was learnt from it: precision 0.886, recall 0.830.
    # Measured now: precision 88/93 = 0.946, recall 88/94 = 0.936.
    precision, recall, _, wrongly_split = score(read_gold("compounds_heldout.tsv"))
    assert precision >= 0.93
    assert recall >= 0.92
    assert wrongly_split == []


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("bauantrag", ["bau", "antrag"]),  # no linking element
        ("ordnungsamt", ["ordnung", "amt"]),  # -s-
        ("landesamt", ["land", "amt"]),  # -es-
        ("straßenname", ["straße", "name"]),  # -n-
        ("gebührenbescheid", ["gebühr", "bescheid"]),  # -en-
        ("kindergeld", ["kind", "geld"]),  # -er-
        ("hundesteuer", ["hund", "steuer"]),  # -e-
        ("namensänderung", ["name", "änderung"]),  # -ns-
        ("schulamt", ["schule", "amt"]),  # elided "e": Schule + Amt
        ("geschichtsbuch", ["geschichte", "buch"]),  # elided "e" and -s-
        ("sozialamt", ["sozial", "amt"]),  # an adjective begins it
        ("wohngeld", ["wohn", "geld"]),  # a verb stem begins it
    ],
)
def test_linking_elements(word, parts):
    assert split_compound(word) == parts


def test_three_and_more_parts_are_split_recursively():
    assert split_compound("anwohnerparkausweis") == ["anwohner", "park", "ausweis"]
    assert split_compound("kindertagesstätte") == ["kind", "tag", "stätte"]
    assert split_compound("reisekostenabrechnung") == ["reise", "kosten", "abrechnung"]
    assert split_compound("ordnungswidrigkeitengesetz") == ["ordnung", "widrigkeit", "gesetz"]


@pytest.mark.parametrize(
    "word",
    ["verwaltung", "bürger", "antrag", "ausweis", "gebühr", "mitarbeiter", "landschaft", "haushalt"],
)
def test_lexicalised_words_stay_whole(word):
    # [] and not [word]: "not a compound" is the empty list.
    assert split_compound(word) == []


def test_the_head_keeps_its_inflection():
    assert split_compound("bauanträge") == ["bau", "anträge"]
    assert split_compound("öffnungszeiten") == ["öffnung", "zeiten"]


def test_hyphenated_words_are_split_at_the_hyphen_and_inside():
    assert split_compound("kita-gebühren") == ["kita", "gebühren"]
    assert split_compound("bürgeramt-öffnungszeiten") == ["bürger", "amt", "öffnung", "zeiten"]
    assert split_compound("e-mail") == ["e", "mail"]
    assert split_compound("-bauantrag-") == ["bau", "antrag"]


def test_sharp_s_and_ss_spellings_split_alike():
    assert split_compound("straßenverkehrsamt") == ["straße", "verkehr", "amt"]
    assert split_compound("strassenverkehrsamt") == ["strasse", "verkehr", "amt"]
    assert split_compound("bußgeld") == ["buß", "geld"]
    assert split_compound("bussgeld") == ["buss", "geld"]


def test_umlauts_and_capitals():
    assert split_compound("Bürgerbüro") == ["bürger", "büro"]
    assert split_compound("ÄNDERUNGSBESCHEID") == ["änderung", "bescheid"]


@pytest.mark.parametrize("word", ["", "a", "amt", "bauamt2", "2024", "b2b", "ratsamt123", "-", "--"])
def test_short_words_numbers_and_empty_input_are_not_split(word):
    assert split_compound(word) == []


def test_short_compounds_of_listed_three_letter_words_split():
    assert split_compound("bauamt") == ["bau", "amt"]
    assert split_compound("radweg") == ["rad", "weg"]


def test_the_module_needs_no_search_engine_and_no_django():
    code = (
        "import sys, search.compounds as c; c.split_compound('bauantrag'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'whoosh', 'django', 'wagtail'}))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
