"""What every engine's indexer shares: loading the tags of a chunk of objects at once, and
pausing the per-object index updates while a bulk load runs that rebuilds the index after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from modelsearch.index import RelatedFields

_BACKEND_SETTINGS = ("WAGTAILSEARCH_BACKENDS", "MODELSEARCH_BACKENDS")

#: Inside ``updates_batched()``: the flushes the engines asked to run at its end, by key.
_pending_flushes: ContextVar[dict[object, Callable[[], object]] | None] = ContextVar("search_index_batch", default=None)


@contextmanager
def updates_batched() -> Iterator[None]:
    """Index writes made inside the block are recorded as they happen and applied together at its
    end: one commit of the Whoosh index instead of one per saved object (the PostgreSQL engine
    writes into the database's own transaction and has nothing to batch). Nothing is lost if the
    block fails: the writes are recorded durably and the next write, search or health check
    applies them. A search inside the block applies what is recorded so far. Nested blocks
    apply at the end of the outermost."""
    if _pending_flushes.get() is not None:
        yield
        return
    pending: dict[object, Callable[[], object]] = {}
    token = _pending_flushes.set(pending)
    try:
        yield
    finally:
        _pending_flushes.reset(token)
        for flush in pending.values():
            flush()


def defer_flush(key: object, flush: Callable[[], object]) -> bool:
    """For an engine: inside ``updates_batched()`` records ``flush`` to run once at the end of the
    block (one per ``key``) and returns True; outside it returns False (flush now)."""
    pending = _pending_flushes.get()
    if pending is None:
        return False
    pending.setdefault(key, flush)
    return True


@contextmanager
def per_object_updates_paused() -> Iterator[None]:
    """Inside the block, saving or deleting an indexed object writes nothing to the search index
    (every backend counts as ``AUTO_UPDATE: False``, which modelsearch's save and delete handlers
    and our index tasks, all through ``modelsearch.index``, respect). For a command that loads
    many objects and then rebuilds the index once (``load_demo_data``): one commit per object
    into the index would cost more than the whole load. Not for a request: it changes the
    process-wide settings for the block's duration."""
    saved = {name: getattr(settings, name) for name in _BACKEND_SETTINGS if hasattr(settings, name)}
    paused = {
        name: {alias: {**conf, "AUTO_UPDATE": False} for alias, conf in value.items()} for name, value in saved.items()
    }
    try:
        for name, value in paused.items():
            setattr(settings, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)


def filter_column(model, field):
    """The Django field behind a ``FilterField`` of ``model`` if it is one of the model's own
    columns (the value an engine stores to filter on), else None: a field the model does not have,
    or a relation to many."""
    try:
        django_field = field.get_field(model)
    except FieldDoesNotExist:
        return None
    if django_field.many_to_many or django_field.one_to_many or not getattr(django_field, "concrete", False):
        return None
    return django_field


def prefetch_tags(model, items: list) -> None:
    """Loads the tags of every object in ``items`` in one query per taggable ``RelatedFields``,
    where the queryset has not prefetched them already. Django's ``prefetch_related`` does the
    same query but then builds a fresh taggit queryset per object (about a millisecond each,
    the largest cost of a rebuild of 100k posts after the index itself)."""
    from django.db.models.query import QuerySet
    from taggit.managers import _TaggableManager

    if len(items) < 2:
        return
    for field in model.get_search_fields():
        if not isinstance(field, RelatedFields):
            continue
        name = field.field_name
        todo = [obj for obj in items if name not in getattr(obj, "_prefetched_objects_cache", {})]
        if not todo:
            continue
        manager = getattr(model, name, None)  # the model's manager: tags of any object
        if not isinstance(manager, _TaggableManager):
            continue
        cache_name = manager.prefetch_cache_name
        queryset, tag_key, obj_key, *_ = manager.get_prefetch_querysets(todo)
        # In the order an object's own manager lists its tags (by when they were added).
        queryset = queryset.order_by(f"{manager.through.tag.field.related_query_name()}__pk")
        by_object: dict = {}
        for tag in queryset:
            by_object.setdefault(tag_key(tag), []).append(tag)
        for obj in todo:
            tags = QuerySet(model=queryset.model)
            tags._result_cache = by_object.get(obj_key(obj), [])
            tags._prefetch_done = True
            obj.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = tags
