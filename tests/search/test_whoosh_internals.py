"""The whoosh3 internals the engine relies on (search/whoosh/internals.py), each checked against
a real index on disk: after a whoosh3 upgrade that changes one of them, the failure names the
function and the Whoosh source to compare (its docstring), instead of a search somewhere going
wrong. whoosh3 is pinned exactly; moving the pin means going through this file."""

from __future__ import annotations

import importlib.metadata
import os
import random
import re
from pathlib import Path

import pytest
import whoosh.util
from whoosh import query as wq
from whoosh import scoring
from whoosh.fields import ID, TEXT

from search.whoosh import internals
from search.whoosh.store import AUTOCOMPLETE_PREFIX, FILTER_PREFIX, ID_FIELD, TEXT_PREFIX, WhooshStore
from search.whoosh.suggest import typo_automaton

TEXT_FIELD = TEXT_PREFIX + "text"
WORDS = "antrag bauantrag bauamt frist vergabe haushalt urlaub dienstplan rat baustelle".split()
ROOT = Path(__file__).resolve().parents[2]


def changed(name: str) -> str:
    return (
        f"whoosh3's internals behind search.whoosh.internals.{name} changed: compare its docstring with "
        "the installed Whoosh source and adapt that one function"
    )


def call(name: str, *args):
    """``internals.<name>(*args)``; an error inside becomes a failure naming the function."""
    try:
        return getattr(internals, name)(*args)
    except Exception as exc:  # an attribute renamed, a signature changed ...
        pytest.fail(f"{changed(name)} ({exc.__class__.__name__}: {exc})")


@pytest.fixture
def store(tmp_path):
    """The engine's own index (its schema, separate segment files) with two segments, the first
    with deleted documents, opened through the store (so its readers are the engine's)."""
    store = WhooshStore(tmp_path / "index")
    store.finish_rebuild(store.rebuild_writer())
    ix = store.index()
    number = 0
    for batch, size in enumerate((30, 12)):
        writer = ix.writer(compound=False)
        for _ in range(size):
            number += 1
            text = " ".join(WORDS[(number * k + batch) % len(WORDS)] for k in range(1 + number % 7))
            writer.add_document(**{ID_FIELD: f"d:{number}", TEXT_FIELD: text})
        writer.commit(merge=False)
    writer = ix.writer(compound=False)
    for number in (2, 5, 11):
        writer.delete_by_term(ID_FIELD, f"d:{number}")
    writer.commit(merge=False)
    return store


def leaves(store):
    found = list(store.searcher().reader().leaf_readers())
    assert len(found) == 2 and found[0][0].has_deletions()
    return [reader for reader, _ in found]


def walk(matcher):
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def test_the_installed_whoosh3_is_the_pinned_one():
    # The human-edited input pins it exactly (a range would let `make lock` move it), and the
    # lock that installs holds that version.
    for name in ("requirements.in", "requirements.txt"):
        pinned = re.search(r"^whoosh3==([^\s\\]+)", (ROOT / name).read_text(), re.M)
        assert pinned, f"{name} must pin whoosh3 exactly (whoosh3==X.Y.Z)"
        assert pinned.group(1) == internals.PINNED_VERSION, f"{name} and internals.PINNED_VERSION differ"
    assert importlib.metadata.version("whoosh3") == internals.PINNED_VERSION, (
        "another whoosh3 is installed than the one search/whoosh/internals.py was checked against: "
        "run this file against it, go through every function of internals.py, then move the pin"
    )


def test_use_unseeded_random_names():
    call("use_unseeded_random_names")
    random.seed(42)
    first = whoosh.util.random_name()
    random.seed(42)
    assert whoosh.util.random_name() != first, changed("use_unseeded_random_names")


def test_glob_fields(store):
    globs = call("glob_fields", store.index().schema)
    assert set(globs) >= {TEXT_PREFIX + "*", AUTOCOMPLETE_PREFIX + "*", FILTER_PREFIX + "*"}, changed("glob_fields")
    assert isinstance(globs[TEXT_PREFIX + "*"], TEXT) and isinstance(globs[FILTER_PREFIX + "*"], ID)


def test_read_toc_and_open_segment_reader(store):
    ix = store.index()
    toc = call("read_toc", ix)
    assert toc.generation == ix.latest_generation(), changed("read_toc")
    assert len(toc.segments) == 2 and TEXT_FIELD in toc.schema, changed("read_toc")
    segment = toc.segments[1]
    reader = call("open_segment_reader", ix, toc, segment)
    try:
        assert reader.doc_count_all() == segment.doc_count_all() == 12, changed("open_segment_reader")
        assert {fields[ID_FIELD] for fields in reader.all_stored_fields()} == {f"d:{n}" for n in range(31, 43)}
    finally:
        reader.close()


def test_pin_columns_keeps_a_merged_away_segment_readable(store):
    """The store pins each reader it opens; then the segment's files may go (a merge in another
    process) and the reader still finds its columns: the id column, the field lengths."""
    ix = store.index()
    toc = internals.read_toc(ix)
    reader = internals.open_segment_reader(ix, toc, toc.segments[1])
    try:
        assert call("pin_columns", reader, ix.storage.list()) is True, changed("pin_columns")
        lengths = [reader.doc_field_length(doc, TEXT_FIELD) for doc in range(reader.doc_count_all())]
        prefix = toc.segments[1].segment_id() + "."
        for name in os.listdir(store.path):
            if name.startswith(prefix) and name.endswith(".col"):
                os.remove(store.path / name)
        assert reader.has_column(ID_FIELD), changed("pin_columns")
        assert reader.column_reader(ID_FIELD)[0] == "d:31", changed("pin_columns")
        assert [reader.doc_field_length(doc, TEXT_FIELD) for doc in range(reader.doc_count_all())] == lengths
    finally:
        reader.close()


def test_block_postings_and_postings_with_deleted(store):
    for reader in leaves(store):
        for word in reader.lexicon(TEXT_FIELD):
            public_ids, _ = walk(reader.postings(TEXT_FIELD, word))
            with_deleted = walk(call("postings_with_deleted", reader, TEXT_FIELD, word))
            deleted = {doc for doc in with_deleted[0] if reader.is_deleted(doc)}
            assert set(with_deleted[0]) - deleted == set(public_ids), changed("postings_with_deleted")
            blocks = call("block_postings", reader.postings(TEXT_FIELD, word))
            assert blocks is not None, changed("block_postings") + " (the codec's block matcher was not found)"
            ids, weights = blocks
            assert ids.tolist() == with_deleted[0] and weights.tolist() == with_deleted[1], changed("block_postings")
    # the first segment's lists hold deleted documents, which only these two functions list
    first = leaves(store)[0]
    assert any(
        first.is_deleted(doc)
        for word in first.lexicon(TEXT_FIELD)
        for doc in walk(internals.postings_with_deleted(first, TEXT_FIELD, word))[0]
    )


def test_length_bytes_and_length_byte(store):
    for reader in leaves(store):
        data = call("length_bytes", reader, TEXT_FIELD)
        assert isinstance(data, bytes) and len(data) == reader.doc_count_all(), changed("length_bytes")
        for doc in range(reader.doc_count_all()):
            length = reader.doc_field_length(doc, TEXT_FIELD)
            assert internals.LENGTH_OF_BYTE[data[doc]] == length, changed("length_bytes") + " / LENGTH_OF_BYTE"
            assert data[doc] == call("length_byte", length), changed("length_byte")
        assert call("length_bytes", reader, TEXT_PREFIX + "nowhere") is None, changed("length_bytes")


def test_multiterm_words(store):
    reader = store.searcher().reader()
    words = call("multiterm_words", wq.Prefix(TEXT_FIELD, "bau"), reader)
    expected = [w for w in reader.lexicon(TEXT_FIELD) if w.startswith(b"bau")]
    assert expected and sorted(words) == sorted(expected), changed("multiterm_words")


def test_bm25f_b():
    weighting = scoring.BM25F(B=0.5, K1=1.2, t__title_B=0.9)
    assert call("bm25f_b", weighting, "t__title") == 0.9, changed("bm25f_b")
    assert call("bm25f_b", weighting, "t__text") == 0.5, changed("bm25f_b")


def test_words_accepted(store):
    for reader in leaves(store):
        lexicon = [w.decode() if isinstance(w, bytes) else w for w in reader.lexicon(TEXT_FIELD)]
        dfa = typo_automaton("bauamd", 1)
        found = list(call("words_accepted", dfa, reader.cursor(TEXT_FIELD)))
        assert found == [w for w in lexicon if dfa.accept(w)] and "bauamt" in found, changed("words_accepted")
