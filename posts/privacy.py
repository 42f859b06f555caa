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
    posts stay (the anonymised account shows as former member of staff); otherwise they are
    deleted with their attachments and edit history (replies by others under them go too)."""
    Reaction.objects.filter(user=user).delete()
    Acknowledgement.objects.filter(user=user).delete()
    Follow.objects.filter(follower=user).delete()
    Follow.objects.filter(person=user).delete()
    Report.objects.filter(reporter=user).delete()
    for post in Post.objects.filter(mentions=user):
        post.mentions.remove(user)
    if keep_posts:
        return
    for post in Post.objects.filter(author=user).exclude(attachment=""):
        post.attachment.delete(save=False)
    Post.objects.filter(author=user).delete()
