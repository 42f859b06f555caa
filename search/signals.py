"""Keeps the search index in step with changes Wagtail makes without a save signal."""

from intranet.shared.tasks import enqueue_on_commit

from .tasks import index_subtree


def reindex_moved_subtree(sender, instance, **kwargs):
    """A move rewrites the `path` of the page and all its descendants with one UPDATE, which
    fires no save signal; their indexed filter values (path, depth, url) would go stale, and
    `descendant_of()` searches would miss them. Re-index the whole moved subtree after commit."""

    enqueue_on_commit(index_subtree, instance.pk)
