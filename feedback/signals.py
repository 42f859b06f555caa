"""Search index upkeep for questions: ``Question`` opts out of modelsearch's own save/delete
handlers (``search_auto_update = False``), whose save handler would write the index inside the
action's transaction. These queue the index write after the commit instead (as posts do)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from modelsearch import index

from search.tasks import index_on_commit


def question_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        index_on_commit(instance)


def question_deleted(sender, instance, **kwargs) -> None:
    index.remove_object(instance)


def connect() -> None:
    from .models import Question

    post_save.connect(question_saved, sender=Question, dispatch_uid="feedback_question_index_on_save")
    post_delete.connect(question_deleted, sender=Question, dispatch_uid="feedback_question_index_on_delete")
