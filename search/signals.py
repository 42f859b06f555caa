"""Keeps the search index in step with changes Wagtail makes without a save signal."""

from django.db import transaction
from wagtail.search import index


def reindex_moved_subtree(sender, instance, **kwargs):
    """A move rewrites the `path` of the page and all its descendants with one UPDATE, which
    fires no save signal; their indexed filter values (path, depth, url) would go stale, and
    `descendant_of()` searches would miss them. Re-index the whole moved subtree after commit."""

    def reindex():
        for page in instance.get_descendants(inclusive=True).specific().iterator():
            index.insert_or_update_object(page)

    transaction.on_commit(reindex)
