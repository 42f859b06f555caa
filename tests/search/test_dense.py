# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""search/dense.py computes on arrays what Whoosh's matchers compute document by document: the
same documents, the same BM25F scores, and through it the site's search gives the same ranked
page, counts and facets as through Whoosh's matchers — only faster (docs/performance.md)."""

import pytest
from whoosh import fields, index, scoring
from whoosh import query as wq
from whoosh.searching import Searcher

from search import query
from search.whoosh import caches, dense
from search.whoosh import ranked as unified
from tests.search.ui_fixtures import city, fresh_index, whoosh_engine  # noqa: F401

WORDS = "antrag bauantrag frist vergabe haushalt urlaub dienstplan bürgerbüro straße rat".split()


@pytest.fixture
def segmented(tmp_path):
    """A Whoosh index of three segments (not merged), with deleted documents in two of them,
    two scored text fields and an unscored keyword field."""
    schema = fields.Schema(
        key=fields.ID(stored=True, unique=True),
        title=fields.TEXT(),
        body=fields.TEXT(),
        kind=fields.KEYWORD(scorable=False),
    )
    ix = index.create_in(str(tmp_path), schema)
    number = 0
    for batch in range(3):
        writer = ix.writer()
        for _ in range(40 + 30 * batch):
            number += 1
            # deterministic, uneven word counts and field lengths
            title = " ".join(WORDS[(number * k) % len(WORDS)] for k in range(1, 1 + number % 4))
            body = " ".join(WORDS[(number * k + batch) % len(WORDS)] for k in range(number % 23))
            writer.add_document(
                key=str(number), title=title, body=body or "leer", kind="post" if number % 3 else "page"
            )
        writer.commit(merge=False)
    writer = ix.writer()
    for number in (3, 7, 50, 51, 52, 140):
        writer.delete_by_term("key", str(number))
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 3 and searcher.reader().has_deletions()
        yield searcher


def whoosh_scores(searcher, q):
    """{docnum: score} of every document Whoosh's own matchers find for ``q``."""
    return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


QUERIES = [
    wq.Term("body", "antrag"),
    wq.Term("title", "frist", boost=2.5),
    wq.Or([wq.Term("title", "vergabe", boost=3.0), wq.Term("body", "vergabe")]),
    wq.And([wq.Or([wq.Term("title", "frist"), wq.Term("body", "frist")]), wq.Term("body", "haushalt")]),
    wq.Or([wq.Term("body", "urlaub"), wq.Prefix("body", "bau", boost=0.15, constantscore=False)]),
    wq.And([wq.Prefix("title", "b", constantscore=False), wq.Term("body", "rat")], boost=1.7),
    wq.Require(wq.Or([wq.Term("title", "straße"), wq.Term("body", "dienstplan")]), wq.Term("kind", "page")),
    # a compound or its parts (synonyms.expand): an "and" inside an "or" scores only where the
    # "and" matches as a whole - documents with "bau" but not "antrag" get nothing from "bau"
    wq.Or([wq.Term("body", "bauantrag"), wq.And([wq.Term("body", "frist"), wq.Term("title", "antrag")])]),
    wq.And(
        [
            wq.Or([wq.Term("title", "dienstplan"), wq.And([wq.Term("body", "rat"), wq.Term("body", "urlaub")])]),
            wq.Or([wq.Term("body", "haushalt", boost=2.0), wq.Term("title", "haushalt")]),
        ]
    ),
    # one branch per content type (search.whoosh.ranked._merge_branches): a "require" inside an
    # "or", the branches sharing fields - each document scored by its own branch only (summed over
    # the leaves, a page matching "vergabe" was scored 1 + 3 times for it)
    wq.Or(
        [
            wq.Require(wq.Term("body", "vergabe"), wq.Term("kind", "page")),
            wq.Require(wq.Term("body", "vergabe", boost=3.0), wq.Term("kind", "post")),
        ]
    ),
    wq.Or(
        [
            wq.Require(
                wq.Or([wq.Term("body", "vergabe"), wq.And([wq.Term("body", "rat"), wq.Term("body", "frist")])]),
                wq.Term("kind", "page"),
            ),
            wq.Require(
                wq.Or([wq.Term("body", "vergabe", boost=3.0), wq.Term("title", "rat")]), wq.Term("kind", "post")
            ),
        ],
        boost=1.3,
    ),
]


@pytest.mark.parametrize("q", QUERIES, ids=repr)
def test_matches_and_scores_are_whoosh_s_own(segmented, q):
    q = q.normalize()
    view = dense.View(segmented)
    assert dense.supports(view, q)
    expected = whoosh_scores(segmented, q)
    assert expected, "the query should find something"
    live = [doc for doc in range(view.size) if not segmented.reader().is_deleted(doc)]
    matches = view.matches(q)
    assert {doc for doc in live if matches[doc]} == set(expected)
    scores = view.scores(q)
    for doc, score in expected.items():
        assert scores[doc] == pytest.approx(score, rel=1e-12), doc


def test_postings_and_lengths_read_in_blocks_are_the_same_as_one_by_one(segmented, monkeypatch):
    for reader, _ in segmented.reader().leaf_readers():
        for fieldname in ("title", "body"):
            assert (
                dense.read_length_bytes(reader, fieldname) == dense.read_length_bytes(reader, fieldname, raw=False)
            ).all()
            for word in reader.lexicon(fieldname):
                fast_ids, fast_tf = dense.read_postings(reader, fieldname, word)
                slow_ids, slow_tf = dense.read_postings(reader, fieldname, word, blocks=False)
                assert fast_ids.tolist() == slow_ids.tolist() and fast_tf.tolist() == slow_tf.tolist()
    # a cache over its budget drops entries and reads them again, the numbers stay right
    monkeypatch.setattr(caches, "SEGMENT_BUDGET", 1000)
    q = QUERIES[2].normalize()
    scores = dense.View(segmented).scores(q)
    for doc, score in whoosh_scores(segmented, q).items():
        assert scores[doc] == pytest.approx(score, rel=1e-12)


def test_what_the_arrays_do_not_express_is_left_to_whoosh(segmented):
    view = dense.View(segmented)
    assert not dense.supports(view, wq.Phrase("body", ["frist", "haushalt"]))
    assert not dense.supports(view, wq.And([wq.Term("body", "frist"), wq.Not(wq.Term("body", "rat"))]))
    assert not dense.supports(view, wq.Term("kind", "page"))  # not a scored field
    other = Searcher(segmented.reader(), weighting=scoring.TF_IDF(), closereader=False)
    assert not dense.supports(dense.View(other), wq.Term("body", "frist"))


def test_best_orders_by_score_then_lower_document_number():
    import numpy as np

    scores = np.array([0.5, 2.0, 1.0, 2.0, 0.0, 1.0, 3.0])
    docs = np.array([0, 1, 2, 3, 5, 6])
    assert dense.best(docs, scores, 4) == [(3.0, 6), (2.0, 1), (2.0, 3), (1.0, 2)]
    assert dense.best(docs, scores, 0) == [] and dense.best(docs[:0], scores, 3) == []


# --- through the site's search -------------------------------------------------------------------

SEARCHES = [
    "Antrag",
    "Anträge",
    "Bauantrag",
    "Antrag Bürgeramt",
    "Öffnungszeiten",
    "Genehmigung",
    "Straße Winterdienst",
    # no item has all three words: the partial matches, those with two of the words first
    "Antrag Bürgeramt Urlaub",
    # compounds split by the expansion (an "and" inside an "or"), a compound with a word
    "Hundesteuer",
    "Bauantrag Frist",
]


def _outcome(user, q, **kwargs):
    result = query.search(user=user, q=q, **kwargs)
    return result.count, [(hit.type, hit.id, round(hit.score, 9)) for hit in result.hits], result.facets


@whoosh_engine
@pytest.mark.django_db
@pytest.mark.parametrize("direct_limit", [unified.DIRECT_SCORING_LIMIT, 0])
def test_the_search_ranks_counts_and_facets_as_with_whoosh_matchers(city, monkeypatch, direct_limit):
    """Every query, filter and sort order of the search page gives the same page of hits (same
    order, same scores), counts and facets on arrays as through Whoosh's matchers - also in the
    two-tier ranking used for many matches (``direct_limit=0`` forces it on this small corpus)."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(unified, "DIRECT_SCORING_LIMIT", direct_limit)
    tag = query.search(user=city.user, q="Öffnungszeiten").facets["tag"][0]["slug"]
    today = timezone.localdate()
    variants = [
        {},
        {"sort": "date"},
        {"limit": 2, "offset": 1},
        {"filters": query.Filters(types=["page", "person"])},
        {"filters": query.Filters(department=city.bauamt.pk)},
        {"filters": query.Filters(tag=tag)},
        {"filters": query.Filters(date_from=today - datetime.timedelta(days=1), date_to=today)},
    ]
    used = []
    real_scores = dense.View.scores
    monkeypatch.setattr(dense.View, "scores", lambda self, q: used.append(q) or real_scores(self, q))
    compared = 0
    for q in SEARCHES:
        for kwargs in variants:
            fast = _outcome(city.user, q, **kwargs)
            with monkeypatch.context() as whoosh:
                whoosh.setattr(dense, "supports", lambda view, text: False)
                slow = _outcome(city.user, q, **kwargs)
            assert fast == slow, (q, kwargs)
            compared += bool(fast[0])
    assert used, "the array path was not taken"
    assert compared >= 20  # most combinations find something
