"""The plain German analysis (``search.analysis.TEXT`` ...) gives, word for word, what the Whoosh
filter chains gave: over every word of the demo content, the judged pages and queries of
``tests/search/eval``, the synonym and compound lists and the tests, in each kind of field, as
written, lower-cased and with umlauts spelt "ae/oe/ue"."""

import re
from pathlib import Path

import pytest

from search import analysis

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted(ROOT.glob("*/demo.py")),
    *sorted(ROOT.glob("tests/search/eval/pages/*.md")),
    ROOT / "tests/search/eval/queries.tsv",
    ROOT / "search/synonyms_default.tsv",
    ROOT / "search/compound_words.txt",
    *sorted(ROOT.glob("tests/**/*.py")),
]


def vocabulary() -> list[str]:
    words = set()
    for path in SOURCES:
        words.update(re.findall(analysis.WORD_PATTERN, path.read_text(encoding="utf-8")))
    spelt = {word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue") for word in words}
    return sorted(words | {word.lower() for word in words} | {word.upper() for word in words} | spelt)


VOCABULARY = vocabulary()

KINDS = [
    (analysis.german_analyzer, analysis.TEXT),
    (analysis.reversed_analyzer, analysis.REVERSED),
    (analysis.autocomplete_analyzer, analysis.AUTOCOMPLETE),
    (analysis.autocomplete_query_analyzer, analysis.AUTOCOMPLETE_QUERY),
    (analysis.spelling_analyzer, analysis.SPELLING),
]


def test_the_vocabulary_is_the_demo_site_and_the_judged_pages():
    assert len(VOCABULARY) > 10_000
    assert {"Anwohnerparkausweis", "Bürgerbüro", "Straßenreinigung"} <= set(VOCABULARY)


@pytest.mark.parametrize(("make", "plain"), KINDS, ids=[kind.name for _, kind in KINDS])
@pytest.mark.parametrize("mode", ["index", "query"])
def test_plain_analysis_gives_the_whoosh_chains_terms_for_every_word(make, plain, mode):
    chain = make().chain
    differ = []
    for word in VOCABULARY:
        before = tuple(t.text for t in chain(word, mode=mode))
        if plain.terms(word, query=mode == "query") != before:
            differ.append(word)
    assert differ == []


@pytest.mark.parametrize(("make", "plain"), KINDS, ids=[kind.name for _, kind in KINDS])
def test_a_dropped_word_kept_visible_looks_as_before(make, plain):
    chain = make().chain
    for word in VOCABULARY:
        tokens = list(chain(word, removestops=False))
        if tokens and tokens[0].stopped:
            assert plain.is_dropped(word)
            assert plain.dropped_form(word) == tokens[0].text
        else:
            assert not plain.is_dropped(word) or not tokens
