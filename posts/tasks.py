"""Background tasks of posts: the notification fan-out (posts.fanout), queued after the commit by
posts.actions and run by the worker. Each runs in one transaction, so a failed attempt leaves no
half of its notifications behind and the retry starts clean."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from people.models import User

from . import fanout
from .models import Post


def _post(post_id: int) -> Post | None:
    return Post.objects.select_related("author", "parent__author").filter(pk=post_id).first()


@task()
def notify_new_post(post_id: int, mention_ids: list[int]) -> None:
    """Mentioned people, the author of the post replied to, the followers of the author, channel
    or tags. A post deleted meanwhile notifies nobody."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        post = _post(post_id)
        if post is not None and not post.is_deleted:
            fanout.notify_new_post(post, list(User.objects.filter(pk__in=mention_ids)))


@task()
def notify_mentions(post_id: int, user_ids: list[int], actor_id: int) -> None:
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        post = _post(post_id)
        if post is not None and not post.is_deleted:
            fanout.notify_mentions(
                post, list(User.objects.filter(pk__in=user_ids)), User.objects.filter(pk=actor_id).first()
            )


@task()
def notify_urgent(post_id: int) -> None:
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        post = _post(post_id)
        if post is not None and not post.is_deleted:
            fanout.notify_urgent(post)
