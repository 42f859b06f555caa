"""GDPR: what the microblog stores about a person, and how it is erased.
Called by people.privacy (export across all apps, erasure by an administrator)."""

from django.db import transaction

from .models import Acknowledgement, Follow, Post, Reaction, Report


def export_user_data(user) -> dict:
    """Posts and replies (with edit history), reactions, acknowledgements, follows, reports —
    JSON-serialisable."""
    posts = (
        Post.objects.filter(author=user, is_deleted=False)
        .select_related("channel")
        .prefetch_related("tags", "revisions")
    )
    return {
        "posts": [
            {
                "id": post.pk,
                "url": post.get_absolute_url(),
                "channel": post.channel.name,
                "reply_to": post.parent_id,
                "text": post.text,
                "tags": sorted(tag.name for tag in post.tags.all()),
                "created_at": post.created_at.isoformat(),
                "edited_at": post.edited_at.isoformat() if post.edited_at else None,
                "attachment": post.attachment_name or None,
                "hidden_by_moderator": post.is_hidden,
                "earlier_versions": [
                    {"text": revision.text, "written_at": revision.created_at.isoformat()}
                    for revision in post.revisions.all()
                ],
            }
            for post in posts
        ],
        "reactions": [
            {"post": post_id, "reaction": kind, "at": created_at.isoformat()}
            for post_id, kind, created_at in Reaction.objects.filter(user=user).values_list(
                "post_id", "kind", "created_at"
            )
        ],
        "acknowledgements": [
            {"post": post_id, "at": created_at.isoformat()}
            for post_id, created_at in Acknowledgement.objects.filter(user=user).values_list("post_id", "created_at")
        ],
        "follows": [
            {
                "person": follow.person.username if follow.person else None,
                "channel": follow.channel.name if follow.channel else None,
                "tag": follow.tag.name if follow.tag else None,
            }
            for follow in Follow.objects.filter(follower=user).select_related("person", "channel", "tag")
        ],
        "reports": [
            {"post": post_id, "reason": reason, "at": created_at.isoformat()}
            for post_id, reason, created_at in Report.objects.filter(reporter=user).values_list(
                "post_id", "reason", "created_at"
            )
        ],
    }


@transaction.atomic
def erase_user(user, *, keep_posts: bool) -> None:
    """Reactions, acknowledgements, follows and reports go in any case. With `keep_posts` the
    posts stay (the anonymised account shows as former member of staff) and are indexed again
    after the commit, without the name; otherwise they are deleted with their attachments and
    edit history (replies by others under them go too), and so leave the index. Call it inside
    ``people.privacy.erase_person``'s transaction, which anonymises the account before the commit."""
    Reaction.objects.filter(user=user).delete()
    Acknowledgement.objects.filter(user=user).delete()
    Follow.objects.filter(follower=user).delete()
    Follow.objects.filter(person=user).delete()
    Report.objects.filter(reporter=user).delete()
    for post in Post.objects.filter(mentions=user):
        post.mentions.remove(user)
    if keep_posts:
        # A kept post's search document holds its author's name (``Post.author_name``): indexed
        # again once the erasure is committed, under "ehemalige/r Mitarbeiter/in".
        post_ids = list(Post.objects.filter(author=user).values_list("pk", flat=True))
        if post_ids:
            transaction.on_commit(lambda: reindex_posts(post_ids))
        return
    for post in Post.objects.filter(author=user).exclude(attachment=""):
        post.attachment.delete(save=False)
    Post.objects.filter(author=user).delete()


#: Posts indexed per batch when an erasure re-indexes a person's kept posts.
REINDEX_CHUNK = 500


def reindex_posts(post_ids) -> None:
    """Indexes the given posts again (those still visible: hidden and deleted ones are not in
    the index), in batches: one index write per batch, not one per post."""
    from modelsearch.backends import get_search_backends

    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(post_ids), REINDEX_CHUNK):
        batch = list(Post.get_indexed_objects().filter(pk__in=post_ids[start : start + REINDEX_CHUNK]))
        for backend in backends if batch else ():
            backend.add_bulk(Post, batch)
