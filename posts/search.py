"""The "post" type of the one search (``search.registry``): posts neither hidden by a moderator
nor deleted (``Post.objects.visible()``), their filters, and how a post hit looks. A post belongs
to a department through its channel."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from search.hits import Hit, highlight
from search.registry import SearchType, Source, department_ids, register, start_of

from . import markup
from .models import Channel, Post


def _tagged(ids):
    return Post.tags.through.objects.filter(
        object_id__in=ids, content_type__app_label="posts", content_type__model="post"
    )


class PostType(SearchType):
    name = "post"
    label = gettext_lazy("Posts")
    hit_label = gettext_lazy("Post")
    order = 20

    def source(self, user, filters):
        posts = Post.objects.visible().select_related("channel__department", "author")
        if filters.department:
            posts = posts.filter(
                channel__in=list(
                    Channel.objects.filter(department_id__in=department_ids(filters)).values_list("pk", flat=True)
                )
            )
        if filters.date_from:
            posts = posts.filter(created_at__gte=start_of(filters.date_from))
        if filters.date_to:
            posts = posts.filter(created_at__lt=start_of(filters.date_to + datetime.timedelta(days=1)))
        return Source(
            self.name,
            posts,
            narrow=Post.objects.filter(tags__slug=filters.tag).values("pk") if filters.tag else None,
            index_terms={"tags__slug": filters.tag} if filters.tag else {},
            date_fields=("edited_at", "created_at"),
            # posts belong to a department through their channel (department_counts)
            facet_fields={"channel": "channel_id", "tag": "tags__slug"},
        )

    def hit(self, obj, score, q, tags, request=None):
        channel_department = obj.channel.department
        # The rendered text, never the Markdown typed ("**Wichtig:**" reads "Wichtig:").
        title = markup.first_line(obj.html) or str(obj.author)
        return Hit(
            self.name, obj.pk, title, obj.get_absolute_url(), highlight(markup.plain_text(obj.html), q),
            channel_department.name if channel_department else "", sorted(tags), obj.edited_at or obj.created_at,
            score,
        )  # fmt: skip

    def tags(self, ids):
        tags: dict = {}
        for object_id, name in _tagged(ids).values_list("object_id", "tag__name"):
            tags.setdefault(object_id, []).append(name)
        return tags

    def updated(self, obj):
        return obj.edited_at or obj.created_at

    def department_of(self, obj):
        return obj.channel.department_id

    def department_counts(self, facets):
        """The index counts posts by channel: one query for the channels' departments."""
        by_channel = facets.get("channel", {})
        counts: dict = {}
        if by_channel:
            for channel, department in Channel.objects.filter(pk__in=list(by_channel)).values_list("pk", "department"):
                if department:
                    counts[department] = counts.get(department, 0) + by_channel[channel]
        return counts

    def tag_ids(self, ids):
        return list(_tagged(ids).values_list("tag_id", flat=True))

    def topic_tags(self, user):
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        content_type = ContentType.objects.get_for_model(Post)
        return TaggedItem.objects.filter(
            content_type=content_type, object_id__in=Post.objects.visible().values("pk")
        ).values("tag_id")


register(PostType())
