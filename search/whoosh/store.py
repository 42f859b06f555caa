"""The Whoosh index on disk: opening it once per process, a fresh searcher per query, and writes
that never wait on the index lock and are never lost.

Why writes go through a spool
-----------------------------
Whoosh allows one writer per index; a second writer gets ``LockError``. With several gunicorn
workers saving pages at once, either a user waits for the lock or an update is dropped. Here a
write is first made durable as a small JSON file in ``<index>/spool/`` (written to a temporary
name, fsynced, renamed), then the writing process tries the lock once, without waiting:

* lock free: it applies every spooled batch in one writer, commits, deletes the applied files;
* lock busy: it returns at once. The holder, after it releases the lock, looks into the spool
  again and applies what arrived meanwhile.

Every process looks into the spool after it has released the lock, and every writer tries the
lock after its file is in place, so a file is always seen either by the holder's second look or
by its own writer's attempt: no update is left behind, whichever way the processes interleave.
Updates for the same document are applied in spool order (file names start with a nanosecond
timestamp), the last one wins. If a process dies holding the lock (SIGKILL), the kernel drops its
``flock`` lock with it; its spool files are still there and the next write, search or health
check applies them. A crash between commit and deleting the files only applies them twice, which
is harmless (updates replace whole documents).

A damaged index
---------------
The database is the record; the index can always be rebuilt from it. What damages an index
(a deleted folder, a lost or truncated table of contents, a segment file overwritten or cut
short) is recognised where it shows: by :meth:`WhooshStore.verify` (``/healthz``), by a search
that fails inside Whoosh (:meth:`WhooshStore.record_failure`), and by a process that sees the
folder or table of contents vanish under its open index. Each writes the cause into
``<index>/DAMAGED`` and logs an ERROR naming the folder and the cause; from then on every process
answers searches with "search unavailable" (:meth:`WhooshStore.damage`, one ``stat`` per search)
instead of failing or silently finding nothing, until ``manage.py repair_search_index`` (or
``update_index``) moves the damaged index aside and rebuilds it from the database. Writes made
meanwhile are in the database (the rebuild reads them) or in the spool (kept through the move and
applied after the rebuild), so nothing written while the index was broken is lost.

Segment names from the operating system's randomness
----------------------------------------------------
Whoosh names each new segment (and its temporary files) with ``whoosh.util.random_name``, drawn
from the process-global ``random`` generator. Whatever resets that generator to a fixed seed
(Hypothesis does it for every example it runs, ``random.seed(42)`` in a script or a worker) makes
the next commit draw the name of a segment that is still in the index: the new segment's files
land beside (or over) the live segment's, and ``create_compound_file`` finds the live ``.seg``
and fails an assertion; the write is lost until someone looks. Below, Whoosh's names are drawn
from ``random.SystemRandom`` instead, which no seed reaches (and which differs in every process).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.index import LockError
from whoosh.reading import CorruptIndexError
from whoosh.writing import CLEAR

from search.indexing import defer_flush

from . import internals
from .analyzers import autocomplete_analyzer, german_analyzer, reversed_analyzer, spelling_analyzer

logger = logging.getLogger(__name__)

# See "Segment names" in the module docstring.
internals.use_unseeded_random_names()

INDEX_NAME = "wissensnetz"
SPOOL_DIR = "spool"
NEEDS_REBUILD_MARKER = "NEEDS_REBUILD"
#: Written when the index is found damaged; holds the cause. Searches answer "unavailable" while
#: it exists; a rebuild (``repair_search_index``, ``update_index``) removes it.
DAMAGED_MARKER = "DAMAGED"
REPAIR_COMMAND = "manage.py repair_search_index"

#: Field name prefixes: ``t__<path>`` full text (German), ``a__<path>`` autocomplete n-grams.
TEXT_PREFIX = "t__"
AUTOCOMPLETE_PREFIX = "a__"
#: ``f__<attname>``: a FilterField's value, encoded by :func:`search.whoosh.filters.encode`.
FILTER_PREFIX = "f__"
COMPOUND_FIELD = "x_rev"
#: The parts of the document's compound words (search.analysis.compound_parts), stemmed: a part
#: finds the compounds that contain it at either end ("Anwohnerpark" -> "Anwohnerparkausweis").
PARTS_FIELD = "x_parts"
SPELLING_FIELD = "x_spell"
ID_FIELD = "x_id"
CONTENT_TYPE_FIELD = "x_ct"


def build_schema() -> Schema:
    schema = Schema()
    schema.add(ID_FIELD, ID(unique=True, stored=True, sortable=True))
    schema.add(CONTENT_TYPE_FIELD, KEYWORD(lowercase=False, commas=False, scorable=False))
    schema.add(COMPOUND_FIELD, TEXT(analyzer=reversed_analyzer(), phrase=False))
    schema.add(SPELLING_FIELD, TEXT(analyzer=spelling_analyzer(), phrase=False))
    schema.add(PARTS_FIELD, TEXT(analyzer=german_analyzer(), phrase=False))
    schema.add(TEXT_PREFIX + "*", TEXT(analyzer=german_analyzer(), phrase=True), glob=True)
    schema.add(AUTOCOMPLETE_PREFIX + "*", TEXT(analyzer=autocomplete_analyzer(), phrase=False), glob=True)
    schema.add(FILTER_PREFIX + "*", ID(), glob=True)
    return schema


def add_missing_fields(writer) -> None:
    """Brings an index written with an older schema up to date (before a rebuild adds data)."""
    current = writer.schema
    for name, fieldtype in build_schema().items():
        if name not in current:
            writer.add_field(name, fieldtype)
    known_globs = internals.glob_fields(current)
    for pattern, fieldtype in internals.glob_fields(build_schema()).items():
        if pattern not in known_globs:
            writer.add_field(pattern, fieldtype, glob=True)


class IndexUnavailable(Exception):
    """The index exists but cannot be read (corrupt or unreadable)."""


_SEGMENT_EXTS = (".trm", ".pst", ".col", ".seg")
#: Errors Whoosh raises on its own when its files are damaged, wherever they are read.
_DAMAGE_ERRORS = (IndexUnavailable, whoosh_index.EmptyIndexError, CorruptIndexError)


class RebuildIncomplete(Exception):
    """A rebuild committed fewer documents than were added to it."""


class WhooshStore:
    """One per index directory and process (see :func:`get_store`). Thread-safe: each thread
    keeps its own searcher; opening the index happens once."""

    #: How long a rebuild or reset waits for the lock held by another writer.
    REBUILD_LOCK_TIMEOUT = 120.0
    #: How many rounds of "apply the spool, release, look again" one flush does at most.
    MAX_FLUSH_ROUNDS = 10

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.spool = self.path / SPOOL_DIR
        self._ix = None
        self._open_lock = threading.Lock()
        self._local = threading.local()
        self._seq = 0
        self._pid = os.getpid()
        #: The index files as :meth:`verify` last read them without error.
        self._verified: frozenset | None = None

    # --- opening ---------------------------------------------------------------------------

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:
            # A forked worker must not share the parent's open files and searchers.
            self._pid = os.getpid()
            self._ix = None
            self._local = threading.local()

    def index(self):
        """The open index; created empty if the directory or the index is missing."""
        self._check_fork()
        ix = self._ix
        if ix is not None:
            return ix
        with self._open_lock:
            if self._ix is None:
                self._ix = self._open_or_create()
            return self._ix

    def _open_or_create(self):
        self.path.mkdir(parents=True, exist_ok=True)
        self.spool.mkdir(exist_ok=True)
        if self.exists():
            try:
                return whoosh_index.open_dir(str(self.path), indexname=INDEX_NAME)
            except Exception as exc:
                raise IndexUnavailable(f"cannot open search index at {self.path}: {exc!r}") from exc
        if self._segment_files():
            # Segments without a table of contents: the index lost its TOC. Creating a new one
            # here would hide that (an empty index over the old files); report it instead.
            cause = "the table of contents is missing (segment files without one)"
            self.mark_damaged(cause)
            raise IndexUnavailable(f"cannot open search index at {self.path}: {cause}")
        # Two processes may get here together: create under the write lock, then re-check.
        return self._create(marker=True)

    def _segment_files(self) -> list[str]:
        try:
            with os.scandir(self.path) as entries:
                return [
                    e.name for e in entries if e.name.startswith(INDEX_NAME + "_") and e.name.endswith(_SEGMENT_EXTS)
                ]
        except FileNotFoundError:
            return []

    def exists(self) -> bool:
        """Whether an index (readable or not) is in the directory: a table of contents is there."""
        return any(self.path.glob(f"_{INDEX_NAME}_*.toc"))

    def _create(self, *, marker: bool):
        from whoosh.filedb.filestore import FileStorage

        storage = FileStorage(str(self.path))
        lock = storage.lock(INDEX_NAME + "_WRITELOCK")
        if not _try_for(lock.acquire, self.REBUILD_LOCK_TIMEOUT):
            raise LockError("timed out creating the search index")
        try:
            if self.exists():
                return whoosh_index.open_dir(str(self.path), indexname=INDEX_NAME)
            ix = storage.create_index(build_schema(), indexname=INDEX_NAME)
            if marker:
                # Created outside a rebuild: the database has content the index lacks.
                (self.path / NEEDS_REBUILD_MARKER).write_text("created empty; run manage.py update_index\n")
                logger.warning("search index at %s was missing and has been created empty", self.path)
            return ix
        finally:
            lock.release()

    def forget(self) -> None:
        """Drops this process's open index and searchers (after the directory was replaced)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            try:
                searcher.close()
            except Exception:  # closing a searcher of a deleted index may fail; nothing to keep
                logger.debug("search index: closing an old searcher failed", exc_info=True)
        self._local = threading.local()
        self._ix = None

    # --- reading -----------------------------------------------------------------------------

    def searcher(self):
        """This thread's searcher, brought up to the latest commit. The index is opened once
        per process; after a commit only the segments that changed are opened (see
        :meth:`_fresh_searcher`), so a query after a write stays cheap."""
        self._check_fork()
        if not self.path.is_dir():
            self._lost("the index folder was deleted")
        ix = self.index()
        if self._spool_waiting():
            # Left behind by a writer that died holding the lock; apply before reading. A read
            # never fails because of a write problem: it answers from the last good commit
            # (the database filters every hit anyway) and the error goes to the log.
            try:
                self.flush()
            except Exception:
                logger.exception("search index: applying spooled writes before a search failed")
        local = self._local
        searcher = getattr(local, "searcher", None)
        try:
            generation = ix.latest_generation()
        except FileNotFoundError:
            self._lost("the index folder was deleted")
            return self.searcher()
        if generation < 0:
            # The folder is there, its table of contents is not (removed under the open index).
            self._lost("the table of contents was removed")
            return self.searcher()
        if searcher is None or local.generation != generation:
            searcher, generation = self._fresh_searcher(ix, searcher)
            local.searcher, local.generation = searcher, generation
        return searcher

    def _fresh_searcher(self, ix, old):
        """A searcher on the latest commit, reusing the old searcher's segment readers where the
        segment is unchanged (same id, same number of deleted documents: deletions only ever
        grow). Whoosh's own ``Searcher.refresh()`` is not used: in this Whoosh version it keeps
        readers of merged-away segments and stale deletion lists."""
        from whoosh.reading import EmptyReader, MultiReader
        from whoosh.searching import Searcher

        old_readers = {}
        if old is not None:
            try:
                for reader, _offset in old.reader().leaf_readers():
                    segment = reader.segment()
                    if segment is not None:
                        old_readers[segment.segment_id()] = reader
            except Exception:
                old_readers = {}
        for attempt in range(10):
            readers, opened = [], []
            try:
                # A commit removes the previous table of contents once its own is written, and a
                # merge removes the segments it merged: either may go between listing and opening.
                toc = internals.read_toc(ix)
                names = None
                for segment in toc.segments:
                    reader = old_readers.get(segment.segment_id())
                    if reader is None or reader.segment().deleted_count() != segment.deleted_count():
                        reader = internals.open_segment_reader(ix, toc, segment)
                        opened.append(reader)
                        if names is None:
                            names = ix.storage.list()
                        _pin_columns(reader, names)
                    readers.append(reader)
            except OSError:
                for reader in opened:
                    reader.close()
                if attempt == 9:
                    raise
                time.sleep(0.05)
                continue
            break
        kept = {id(r) for r in readers}
        for reader in old_readers.values():
            if id(reader) not in kept:
                reader.close()
        if not readers:
            reader = EmptyReader(toc.schema)
        else:
            reader = MultiReader(readers, generation=toc.generation)
        return Searcher(reader, fromindex=ix), toc.generation

    def _lost(self, cause: str) -> None:
        """The index this process had open is gone from under it: forget it and, if it was open
        (so it existed, and the database has content it lacked), record the damage. The next
        :meth:`index` opens what is there or creates an empty index, which takes writes until a
        rebuild; searches answer "unavailable" meanwhile."""
        was_open = self._ix is not None
        self.forget()
        if was_open:
            self.mark_damaged(cause)

    def _spool_waiting(self) -> bool:
        try:
            with os.scandir(self.spool) as entries:
                return any(e.name.endswith(".json") for e in entries)
        except FileNotFoundError:
            return False

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    # --- writing -----------------------------------------------------------------------------

    def write(self, ops: Iterable[tuple[str, object]]) -> bool:
        """Records ``ops`` durably and applies them if the lock is free. ``ops`` are
        ``("add", document_dict)`` or ``("delete", document_id)``. Returns whether they
        were applied by this call (if not, the current lock holder applies them)."""
        ops = list(ops)
        if not ops:
            return True
        self._spool_ops(ops)
        if defer_flush(self, self.flush):  # inside search.indexing.updates_batched()
            return False
        return self.flush()

    def _spool_ops(self, ops: list) -> Path:
        try:
            self.index()  # make sure the directory exists
        except IndexUnavailable:
            pass  # damaged: keep the write in the spool; a rebuild applies it after its own commit
        self.spool.mkdir(parents=True, exist_ok=True)
        self._seq += 1
        name = f"{time.time_ns():020d}-{os.getpid()}-{threading.get_ident()}-{self._seq}"
        tmp = self.spool / (name + ".tmp")
        final = self.spool / (name + ".json")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(ops, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        return final

    def _spooled_files(self) -> list[Path]:
        try:
            return sorted(p for p in self.spool.iterdir() if p.suffix == ".json")
        except FileNotFoundError:
            return []

    def flush(self, timeout: float = 0.0) -> bool:
        """Applies spooled writes if the lock can be had within ``timeout`` seconds (0: try once).
        Returns False if another writer holds the lock (it will apply them)."""
        ix = self.index()
        for _round in range(self.MAX_FLUSH_ROUNDS):
            try:
                writer = ix.writer(timeout=timeout, delay=0.02, compound=False)
            except LockError:
                return False
            try:
                add_missing_fields(writer)  # an index written by an older version
                applied = self._apply_spool(writer)
            except BaseException:
                # A failed commit has already released the lock and closed the writer; cancelling
                # it again would raise "This writer is closed" and hide the real error.
                if not writer.is_closed:
                    writer.cancel()
                raise
            if not applied:
                writer.cancel()
            # Released: look again for batches spooled while we held the lock.
            if not self._spooled_files():
                return True
        # Under a constant stream of writes, stop doing others' work at some point: what is
        # left is applied by the next write, search or health check.
        return True

    def _apply_spool(self, writer) -> bool:
        files = self._spooled_files()
        if not files:
            return False
        latest: dict[str, tuple[str, object]] = {}
        for path in files:
            try:
                ops = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                # Spool files are removed only once committed: another writer committed this one
                # and removed it after releasing the lock, between our listing and reading it.
                continue
            except (OSError, ValueError):
                logger.exception("search index: unreadable spool file %s, skipped", path)
                continue
            for op, payload in ops:
                doc_id = payload[ID_FIELD] if op == "add" else payload
                latest.pop(doc_id, None)  # keep spool order: re-insert at the end
                latest[doc_id] = (op, payload)
        for doc_id, (op, payload) in latest.items():
            if op == "add":
                writer.update_document(**payload)
            else:
                writer.delete_by_term(ID_FIELD, doc_id)
        writer.commit()
        for path in files:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        return True

    # --- rebuild and reset ------------------------------------------------------------------

    def rebuild_writer(self, procs: int = 1, limitmb: int = 128):
        """A writer holding the lock for a whole rebuild. Documents added to it replace the
        whole index when it is committed with :meth:`finish_rebuild`; searches see the old
        index until then. A damaged or unreadable index is moved aside first."""
        damage = self.damage()
        try:
            if damage:
                raise IndexUnavailable(damage)
            ix = self.index()
            internals.read_toc(ix)
        except Exception as exc:
            if not self.path.exists():
                raise
            logger.error("search index at %s damaged (%s); rebuilding into a fresh one", self.path, _describe(exc))
            self.move_aside()
            ix = self.index()
        # Segments stay separate files (compound=False): Whoosh copies every part of a compound
        # segment into each process's memory when it opens it (~80 MB per worker at 100k posts),
        # separate files are read through the operating system's shared page cache.
        kwargs = {"timeout": self.REBUILD_LOCK_TIMEOUT, "delay": 0.1, "limitmb": limitmb, "compound": False}
        if procs > 1:
            kwargs.update(procs=procs, multisegment=True)
        writer = ix.writer(**kwargs)
        try:
            add_missing_fields(writer)
        except Exception:
            writer.cancel()
            raise
        return writer

    def finish_rebuild(self, writer, expected: int | None = None) -> None:
        """Commits a rebuild. ``expected``: how many documents were added. If the new index holds
        fewer (an indexing process of a multi-process rebuild died, and Whoosh carries on without
        its documents), the index is marked as needing a rebuild, so ``/healthz`` says so, and
        :class:`RebuildIncomplete` is raised: a rebuild never loses documents silently."""
        writer.commit(mergetype=CLEAR)
        # A complete new index: whatever damage was recorded was in the one it replaced.
        (self.path / DAMAGED_MARKER).unlink(missing_ok=True)
        marker = self.path / NEEDS_REBUILD_MARKER
        indexed = self.index().doc_count() if expected is not None else None
        if indexed is not None and indexed < expected:
            marker.write_text(f"rebuild indexed {indexed} of {expected} documents; run manage.py update_index\n")
        else:
            marker.unlink(missing_ok=True)
        # Writes spooled during the rebuild are newer than what it read: apply them now.
        self.flush(timeout=5.0)
        if indexed is not None and indexed < expected:
            raise RebuildIncomplete(f"the rebuilt search index holds {indexed} of {expected} documents")

    def move_aside(self) -> Path | None:
        """Renames a damaged index directory out of the way and creates a fresh, empty index in
        its place (the rebuild that follows fills it). Spooled writes stay: they are newer than
        anything a rebuild reads later."""
        self.forget()
        if not self.path.exists():
            return None
        target = self.path.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        n = 1
        while target.exists():
            n += 1
            target = target.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}-{n}")
        os.replace(self.path, target)
        self.path.mkdir(parents=True, exist_ok=True)
        self.spool.mkdir(exist_ok=True)
        # File by file: another process may already have spooled a write into the new folder.
        for path in sorted((target / SPOOL_DIR).glob("*.json")):
            shutil.move(str(path), str(self.spool / path.name))
        self._create(marker=False)
        logger.warning(
            "search index at %s moved aside to %s; a fresh index was created in its place", self.path, target
        )
        return target

    def reset(self) -> None:
        """Empties the index (and drops writes not yet applied)."""
        writer = self.rebuild_writer()
        for path in self._spooled_files():
            path.unlink(missing_ok=True)
        writer.commit(mergetype=CLEAR)
        (self.path / DAMAGED_MARKER).unlink(missing_ok=True)

    # --- damage ------------------------------------------------------------------------------

    def damage(self) -> str | None:
        """The recorded cause if the index was found damaged (one ``stat``, cheap enough for
        every search), else ``None``."""
        try:
            return (self.path / DAMAGED_MARKER).read_text(encoding="utf-8").strip() or "damaged"
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"the index folder cannot be read ({exc.__class__.__name__})"

    def mark_damaged(self, cause: str) -> None:
        """Records ``cause`` for every process (``<index>/DAMAGED``) and logs it as an ERROR."""
        if self.damage() is None:
            logger.error(
                "search index at %s is damaged: %s. Search answers 'unavailable' until %s rebuilds it.",
                self.path, cause, REPAIR_COMMAND,
            )  # fmt: skip
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            tmp = self.path / f"{DAMAGED_MARKER}.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_text(cause + "\n", encoding="utf-8")
            os.replace(tmp, self.path / DAMAGED_MARKER)
        except OSError:
            logger.exception("search index at %s: could not record the damage", self.path)

    def record_failure(self, exc: BaseException) -> str | None:
        """Called when a search failed with ``exc``: if the index is damaged (the error is one
        Whoosh raises for damaged files, or a fresh read of the index fails too), records and
        returns the cause; ``None`` if the index reads fine (the error is not the index's)."""
        cause = self.damage() or self.verify()
        if cause is None and isinstance(exc, _DAMAGE_ERRORS):
            cause = _describe(exc)
        if cause is not None:
            self.mark_damaged(cause)
        return cause

    def verify(self) -> str | None:
        """Reads the index afresh (not this process's open searcher, which may hold files that
        are gone or changed on disk): the table of contents, every segment, one stored document
        and the first posting of every field in each. Returns what is wrong, or ``None``.
        Files a concurrent commit or merge removes between listing and reading are retried.
        Unchanged files (same names, sizes, times, inodes as at the last good read) are not
        read again."""
        if not self.path.is_dir():
            return "the index folder is missing"
        if not self.exists():
            if self._segment_files():
                return "the table of contents is missing (segment files without one)"
            return "the index folder holds no index"
        for attempt in range(10):
            try:
                files = self._file_stamps()
                if files == self._verified:
                    return None  # read fine before, and no file changed since: /healthz stays cheap
                ix = whoosh_index.open_dir(str(self.path), indexname=INDEX_NAME)
                with ix.reader() as reader:
                    for leaf, _offset in reader.leaf_readers():
                        _read_a_little(leaf)
                self._verified = files
                return None
            except FileNotFoundError as exc:
                if attempt == 9:
                    return _describe(exc)
                time.sleep(0.05)
            except Exception as exc:
                return _describe(exc)
        return None  # pragma: no cover

    def _file_stamps(self) -> frozenset:
        """Name, size, modification time and inode of the index's own files."""
        stamps = []
        with os.scandir(self.path) as entries:
            for entry in entries:
                if entry.name.endswith(_SEGMENT_EXTS) or entry.name.endswith(".toc"):
                    st = entry.stat()
                    stamps.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ino))
        return frozenset(stamps)

    # --- health ------------------------------------------------------------------------------

    def healthcheck(self) -> tuple[bool, str]:
        if not self.exists() and not self._segment_files():
            if self.damage():
                return False, f"search index unreadable: {self.damage()}; run {REPAIR_COMMAND}"
            return False, f"search index missing at {self.path}; run manage.py update_index"
        damage = self.damage()
        if damage is None:
            damage = self.verify()
            if damage is not None:
                self.mark_damaged(damage)
        if damage is not None:
            return False, f"search index unreadable: {damage}; run {REPAIR_COMMAND}"
        try:
            docs = self.searcher().doc_count()
        except Exception as exc:
            logger.exception("search index health check failed")
            return False, f"search index unreadable ({exc.__class__.__name__}); run {REPAIR_COMMAND}"
        if (self.path / NEEDS_REBUILD_MARKER).exists():
            return False, "search index was recreated empty; run manage.py update_index"
        pending = len(self._spooled_files())
        if pending:
            self.flush()
            pending = len(self._spooled_files())
        detail = f"ok, {docs} documents"
        if pending:
            detail += f", {pending} write batches pending"
        return True, detail


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:300] if str(exc) else ""
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def _read_a_little(reader) -> None:
    """Reads a little of every part of a segment: the first stored document, and the first term
    of every field with its first posting (a damaged terms or postings file fails)."""
    if reader.doc_count_all():
        next(iter(reader.all_stored_fields()), None)
    for fieldname in reader.indexed_field_names():
        for text in reader.lexicon(fieldname):
            matcher = reader.postings(fieldname, text)
            if matcher.is_active():
                matcher.id()
                matcher.weight()
            break


def _pin_columns(reader, names: list[str]) -> None:
    """Opens every column file of a new segment reader at once (``names``: the index directory's
    files), and lets the reader answer "has this column?" from what it opened.

    Whoosh opens a segment's column files (stored fields, field lengths, the id column) only when
    a query first needs them, after checking that the file exists. A writer in another thread or
    process that merges the segment away deletes its files meanwhile: the check then says "no
    such column" and a search fails (``stored_fields`` on ``None``) or scores with lengths of 0.
    An open file stays readable after it is deleted, so opening them all with the reader closes
    that gap. Raises ``OSError`` if the segment is already gone (the caller reads the new TOC).
    How: :func:`search.whoosh.internals.pin_columns`."""
    internals.pin_columns(reader, names)


def _try_for(fn, timeout: float, delay: float = 0.05) -> bool:
    until = time.monotonic() + timeout
    while True:
        if fn():
            return True
        if time.monotonic() >= until:
            return False
        time.sleep(delay)


_stores: dict[str, WhooshStore] = {}
_stores_lock = threading.Lock()


def get_store(path: str | os.PathLike) -> WhooshStore:
    """The process-wide store for ``path`` (one open index per directory and process)."""
    key = os.path.abspath(path)
    store = _stores.get(key)
    if store is None:
        with _stores_lock:
            store = _stores.setdefault(key, WhooshStore(key))
    return store
