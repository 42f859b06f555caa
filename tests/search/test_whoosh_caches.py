# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""What the Whoosh engine remembers between searches (search/whoosh/caches.py): one cache per
searcher and one per segment reader, each within a byte budget (least recently used out first).
Whatever the budget drops, the search gives the same answers; after a write the next search
sees it; what a dropped searcher remembered goes with it."""

import gc
import weakref

import numpy as np
import pytest
from modelsearch.backends import get_search_backend
from whoosh import query as wq

from search import query
from search.analysis import query_terms
from search.whoosh import caches, dense
from search.whoosh.caches import Cache, docs_matching, searcher_cache, segment_cache
from search.whoosh.store import ID_FIELD, TEXT_PREFIX, WhooshStore
from tests.search.ui_fixtures import city, fresh_index, post, whoosh_engine  # noqa: F401

pytestmark = whoosh_engine

TEXT = TEXT_PREFIX + "text"


def test_a_cache_keeps_the_most_recently_used_entries_within_its_budget():
    entry = caches.size_of(np.zeros(100)) + caches.ENTRY_OVERHEAD
    cache = Cache(budget=3 * entry)
    for key in "abc":
        cache.get(key, lambda: np.zeros(100))
    cache.get("a", lambda: pytest.fail("'a' is in the cache"))  # now the most recently used
    cache.get("d", lambda: np.zeros(100))
    assert "b" not in cache and all(key in cache for key in "acd")
    assert len(cache) == 3 and cache.size <= cache.budget
    big = cache.get("big", lambda: np.ones(10_000))  # more than the whole budget: made, not kept
    assert big.sum() == 10_000 and "big" not in cache and len(cache) == 3
    # many small entries count too (each with its overhead)
    for number in range(100):
        cache.get(("df", number), lambda: 1)
    assert cache.size <= cache.budget and len(cache) < 20


@pytest.fixture
def store(tmp_path):
    store = WhooshStore(tmp_path / "index")
    store.finish_rebuild(store.rebuild_writer())
    return store


def add(store, **texts):
    writer = store.index().writer(compound=False)
    for key, text in texts.items():
        writer.add_document(**{ID_FIELD: key, TEXT: text})
    writer.commit(merge=False)


def found(searcher, word) -> set[str]:
    """The live documents with ``word``, through the arrays and their cached posting lists."""
    ids = searcher.reader().column_reader(ID_FIELD)
    mask = dense.view(searcher).matches(wq.Term(TEXT, query_terms(word)[0]))
    return {ids[doc] for doc in np.flatnonzero(mask) if not searcher.reader().is_deleted(int(doc))}


def test_after_a_commit_the_next_searcher_sees_it_and_unchanged_segments_keep_their_cache(store):
    add(store, a="Haushalt und Frist", b="Frist für den Antrag")
    first = store.searcher()
    assert found(first, "Haushalt") == {"a"}
    first_cache = weakref.ref(searcher_cache(first))
    segment = first.reader().leaf_readers()[0][0]
    kept = segment_cache(segment)
    assert len(kept)  # the posting list of "haushalt" is in it

    add(store, c="Haushalt im Rat")  # a new segment, the first unchanged
    second = store.searcher()
    assert second is not first
    assert found(second, "Haushalt") == {"a", "c"}
    assert segment_cache(second.reader().leaf_readers()[0][0]) is kept  # read once, not again
    del first
    gc.collect()
    assert first_cache() is None, "the old searcher's cache outlived it"

    writer = store.index().writer(compound=False)
    writer.delete_by_term(ID_FIELD, "a")
    writer.commit(merge=False)
    third = store.searcher()
    assert found(third, "Haushalt") == {"c"}
    assert segment_cache(third.reader().leaf_readers()[0][0]) is not kept  # its deletions changed
    ids = third.reader().column_reader(ID_FIELD)
    assert {ids[doc] for doc in docs_matching(third, wq.Term(TEXT, query_terms("Frist")[0]))} == {"b"}


SEARCHES = ["Antrag", "Bauantrag", "Antrag Bürgeramt", "Öffnungszeiten", "Genehmigung", "Straße Winterdienst"]


def _outcome(user, q, **kwargs):
    result = query.search(user=user, q=q, **kwargs)
    return result.count, [(hit.type, hit.id, round(hit.score, 9)) for hit in result.hits], result.facets


@pytest.mark.django_db
def test_under_a_tiny_budget_the_search_gives_the_same_answers_and_stays_within_it(city, monkeypatch):
    variants = [{}, {"sort": "date"}, {"filters": query.Filters(department=city.bauamt.pk)}]
    with_room = [_outcome(city.user, q, **kwargs) for q in SEARCHES for kwargs in variants]
    assert sum(bool(outcome[0]) for outcome in with_room) >= 10
    budget = 4096
    monkeypatch.setattr(caches, "SEGMENT_BUDGET", budget)
    monkeypatch.setattr(caches, "SEARCHER_BUDGET", budget)
    searcher = get_search_backend().store.searcher()
    existing = [searcher_cache(searcher)] + [segment_cache(r) for r, _ in searcher.reader().leaf_readers()]
    assert sum(cache.size for cache in existing) > budget * len(existing)  # the searches did fill them
    for cache in existing:
        cache.budget = budget
    tight = [_outcome(city.user, q, **kwargs) for q in SEARCHES for kwargs in variants]
    assert tight == with_room
    assert all(cache.size <= budget for cache in existing)


@pytest.mark.django_db
def test_a_new_post_and_a_deleted_one_show_in_the_next_search(city, django_capture_on_commit_callbacks):
    from posts import actions as post_actions

    before = query.search(user=city.user, q="Öffnungszeiten")
    new = post(
        city.author, "Öffnungszeiten am Feiertag #Bürgerservice", city.channel, django_capture_on_commit_callbacks
    )
    after = query.search(user=city.user, q="Öffnungszeiten")
    assert after.count == before.count + 1
    assert ("post", new.pk) in {(hit.type, hit.id) for hit in after.hits}
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.delete_post(post=new, user=city.author)
    again = query.search(user=city.user, q="Öffnungszeiten")
    assert again.count == before.count and ("post", new.pk) not in {(hit.type, hit.id) for hit in again.hits}
