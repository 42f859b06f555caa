"""Background tasks of the search index, queued after the commit and run by the worker
(``manage.py db_worker``). Each reads its objects afresh, so running one twice does no harm, and
an object deleted before its task ran is skipped (its delete already left the index)."""

from django.apps import apps
from django_tasks import task
from modelsearch import index
from wagtail.models import Page

from intranet.shared.tasks import enqueue_on_commit


@task()
def index_object(app_label: str, model_name: str, pk: str) -> bool:
    """Writes the object's index entry (modelsearch decides whether it belongs in the index)."""
    model = apps.get_model(app_label, model_name)
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None:
        return False
    index.insert_or_update_object(instance)
    return True


@task()
def index_subtree(page_id: int) -> int:
    """Writes the index entries of a page and all its descendants (after a move)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    count = 0
    for descendant in page.get_descendants(inclusive=True).specific().iterator():
        index.insert_or_update_object(descendant)
        count += 1
    return count


def index_on_commit(instance) -> None:
    """Queues ``index_object`` for ``instance`` (its most specific model) after the commit."""
    model = getattr(instance, "specific_class", None) or type(instance)
    enqueue_on_commit(index_object, model._meta.app_label, model._meta.model_name, str(instance.pk))
