"""The Whoosh analyzers (search.whoosh.analyzers) are the plain German analysis in Whoosh's
tokens, and an index written before they moved out of search.analysis still opens and searches."""

import pickle
import shutil
from pathlib import Path

import pytest
from whoosh.analysis import LowercaseFilter, NgramFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.qparser import QueryParser

from search import analysis
from search.whoosh.analyzers import (
    GermanAnalyzer,
    GermanDigraphFilter,
    GermanFoldFilter,
    ReverseFilter,
    autocomplete_analyzer,
    autocomplete_query_analyzer,
    german_analyzer,
    reversed_analyzer,
    spelling_analyzer,
)
from search.whoosh.store import INDEX_NAME, TEXT_PREFIX, WhooshStore

SENTENCES = [
    "Der Antrag auf Genehmigung wird von dem Bürgeramt für die Bürger bearbeitet.",
    "Die Straßenreinigung (Strasse, Straße) beginnt um 7 Uhr; Öffnungszeiten: Mo-Fr.",
    "Fuer Buerger: Quellen, Café, Bau-Antrag, Urlaubsanträge und Persönlichkeitsrechte",
    "E-Mail an Grundstücksverkehrsgenehmigungen",
    "",
    " -- ",
]


def _whoosh_chain(*filters):
    chain = RegexTokenizer(analysis.WORD_PATTERN)
    for f in filters:
        chain = chain | f
    return chain


# The analysis as Whoosh's own filters do it: the analyzers must give Whoosh what its filters
# would, positions, character spans and kept stop words included.
_STOPS = StopFilter(stoplist=analysis.GERMAN_STOPWORDS, minsize=2, renumber=True)
CHAINS = {
    "text": _whoosh_chain(LowercaseFilter(), GermanDigraphFilter(), _STOPS, StemFilter(lang="de"), GermanFoldFilter()),
    "reversed": _whoosh_chain(
        LowercaseFilter(), GermanDigraphFilter(), _STOPS, StemFilter(lang="de"), GermanFoldFilter(), ReverseFilter()
    ),
    "autocomplete": _whoosh_chain(
        LowercaseFilter(), GermanDigraphFilter(), GermanFoldFilter(), NgramFilter(minsize=1, maxsize=20, at="start")
    ),
    "autocomplete_query": _whoosh_chain(LowercaseFilter(), GermanDigraphFilter(), GermanFoldFilter()),
    "spelling": _whoosh_chain(LowercaseFilter(), StopFilter(stoplist=(), minsize=3)),
}
MAKERS = [german_analyzer, reversed_analyzer, autocomplete_analyzer, autocomplete_query_analyzer, spelling_analyzer]


def _tokens(tokens, options):
    out = []
    for t in tokens:
        out.append(
            (
                t.text,
                t.stopped,
                getattr(t, "pos", None) if options.get("positions") else None,
                (t.startchar, t.endchar) if options.get("chars") else None,
                t.original if options.get("keeporiginal") else None,
            )
        )
    return out


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize("mode", ["", "index", "query"])
def test_the_analyzers_give_the_plain_analysis_terms(make, mode):
    analyzer = make()
    for sentence in SENTENCES:
        assert [t.text for t in analyzer(sentence, mode=mode)] == analyzer.analysis.text_terms(
            sentence, query=mode == "query"
        )


def test_the_query_terms_are_those_of_the_full_text_analyzer():
    for sentence in SENTENCES:
        assert [t.text for t in german_analyzer()(sentence, mode="query")] == analysis.query_terms(sentence)
        assert [t.text for t in autocomplete_analyzer()(sentence, mode="query")] == analysis.autocomplete_query_terms(
            sentence
        )


@pytest.mark.parametrize("make", MAKERS)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"positions": True},
        {"positions": True, "start_pos": 7},
        {"mode": "index"},
        {"mode": "query"},
        {"positions": True, "chars": True, "start_char": 3},
        {"positions": True, "chars": True, "removestops": False, "mode": "index"},
        {"chars": True, "mode": "query"},
        {"keeporiginal": True, "positions": True},
        {"tokenize": False, "removestops": False},
        {"tokenize": False, "mode": "query"},
    ],
)
def test_the_analyzers_tokens_are_those_of_whooshs_own_filters(make, options):
    analyzer = make()
    chain = CHAINS[analyzer.name]
    for _ in range(2):  # the second round answers from the cache
        for sentence in [*SENTENCES, "für", "Anträge"]:
            assert _tokens(analyzer(sentence, **options), options) == _tokens(chain(sentence, **options), options)


def test_phrase_positions_skip_stop_words():
    tokens = [(t.text, t.pos) for t in german_analyzer()("der Antrag der Bürger", positions=True)]
    assert tokens == [("antrag", 1), ("burg", 2)]


def test_highlighting_offsets_are_the_words():
    tokens = [(t.text, t.startchar, t.endchar) for t in german_analyzer()("Die Anträge", chars=True)]
    assert tokens == [("antrag", 4, 11)]


def test_an_analyzer_is_pickled_as_its_kind_alone():
    # Whoosh pickles the schema, analyzers included, into the index's table of contents.
    for make in MAKERS:
        analyzer = make()
        list(analyzer("Anträge der Bürger"))  # a filled cache is not pickled
        data = pickle.dumps(analyzer, 2)
        assert b"search.whoosh.analyzers" in data and b"search.analysis" not in data and len(data) < 200
        restored = pickle.loads(data)  # noqa: S301 (our own bytes)
        assert restored == analyzer
        assert [t.text for t in restored("Anträge der Bürger")] == [t.text for t in analyzer("Anträge der Bürger")]


# An index as the code before search.whoosh.analyzers wrote it (commit c5380c5: build_schema(),
# one document titled "Bauanträge der Bürger", Whoosh's writer): its table of contents names search.analysis.WordCachedAnalyzer,
# search.analysis.GermanDigraphFilter and the other filters.
OLD_INDEX = Path(__file__).parent / "fixtures" / "index_before_analyzers_moved"


@pytest.fixture
def old_index(tmp_path):
    path = tmp_path / "index"
    shutil.copytree(OLD_INDEX, path)
    return path


def _toc(path) -> bytes:
    return b"".join(toc.read_bytes() for toc in path.glob(f"_{INDEX_NAME}_*.toc"))


def test_an_index_written_before_the_analyzers_moved_opens_searches_and_is_written_anew(old_index):
    assert b"csearch.analysis\nWordCachedAnalyzer" in _toc(old_index)
    store = WhooshStore(old_index)
    ix = store.index()
    schema = ix.schema
    # The old analyzers come back as the new ones, of the same kind: the plain analysis runs.
    assert schema["x_rev"].analyzer == reversed_analyzer()
    assert schema["x_spell"].analyzer == spelling_analyzer()
    assert schema[TEXT_PREFIX + "title"].analyzer == german_analyzer()
    assert schema["a__title"].analyzer == autocomplete_analyzer()

    with ix.searcher() as searcher:
        query = QueryParser(TEXT_PREFIX + "title", schema).parse("Bauantraege Buerger")
        assert [hit["x_id"] for hit in searcher.search(query)] == ["posts.post:1"]

    assert store.write([("add", {"x_id": "posts.post:2", "x_ct": "posts.post", TEXT_PREFIX + "title": "Bauantrag"})])
    assert b"search.analysis" not in _toc(old_index)
    assert b"search.whoosh.analyzers\nGermanAnalyzer" in _toc(old_index)
    reopened = WhooshStore(old_index).index()
    with reopened.searcher() as searcher:
        query = QueryParser(TEXT_PREFIX + "title", reopened.schema).parse("Bauanträge")
        assert sorted(hit["x_id"] for hit in searcher.search(query)) == ["posts.post:1", "posts.post:2"]


def test_the_plain_module_names_no_whoosh_class_of_its_own():
    # The old names resolve only through what the Whoosh engine registered (for old indexes).
    assert analysis.PICKLED_NAMES["WordCachedAnalyzer"].__module__ == "search.whoosh.analyzers"
    assert issubclass(analysis.WordCachedAnalyzer, GermanAnalyzer)
    with pytest.raises(AttributeError):
        analysis.NoSuchName  # noqa: B018
