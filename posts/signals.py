"""Search index upkeep for posts.

``Post`` opts out of modelsearch's own save/delete handlers (``Post.search_auto_update = False``)
and gets these instead, which do the same with one exception: a save made by ``posts.actions``
(marked by ``actions._save``) is left alone, because the action writes the index itself after
the commit, once the post's tags are stored. modelsearch's handler would write the index inside
the action's transaction (holding the database's write lock through a Whoosh commit) and the
action a second time after it — two index writes per post, the first one without its tags.

Every other save (an administrator in the Django shell, a data migration) and every delete is
indexed as modelsearch would."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from modelsearch import index

from search.tasks import index_on_commit


def post_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.__dict__.pop("_index_after_commit", False):
        return
    index_on_commit(instance)


def post_deleted(sender, instance, **kwargs) -> None:
    index.remove_object(instance)


def connect() -> None:
    from .models import Post

    post_save.connect(post_saved, sender=Post, dispatch_uid="posts_index_on_save")
    post_delete.connect(post_deleted, sender=Post, dispatch_uid="posts_index_on_delete")
