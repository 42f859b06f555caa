"""Who may do what in the microblog — decided here, used by views, feeds, templates and the API.

Channel editors (moderators) are: superusers, members of the central group "Redaktion",
members of the channel's department editors group ("Redaktion <department>"), and the channel's
explicit `editors`. The group names are read once per request user and cached on the object."""

from people.permissions import CENTRAL_EDITORS_GROUP, department_editors_group_name

from .models import Channel, Post

URGENT_PERMISSION = "posts.publish_urgent"


def _group_names(user) -> set[str]:
    cached = getattr(user, "_posts_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._posts_group_names = cached
    return cached


def _edited_channel_ids(user) -> set[int]:
    cached = getattr(user, "_posts_edited_channels", None)
    if cached is None:
        cached = set(user.edited_channels.values_list("id", flat=True))
        user._posts_edited_channels = cached
    return cached


def _department_id(user):
    profile = getattr(user, "profile", None)
    return profile.department_id if profile else None


def is_channel_editor(user, channel: Channel) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    groups = _group_names(user)
    if CENTRAL_EDITORS_GROUP in groups:
        return True
    if channel.department_id and department_editors_group_name(channel.department) in groups:
        return True
    return channel.pk in _edited_channel_ids(user)


def can_start_post(user, channel: Channel) -> bool:
    """Anyone may post in the general channel; department channels follow their policy."""
    if not user.is_authenticated or not user.is_active:
        return False
    if channel.is_general or channel.posting_policy == Channel.Policy.ALL_STAFF:
        return True
    if channel.posting_policy == Channel.Policy.MEMBERS and _department_id(user) == channel.department_id:
        return True
    return is_channel_editor(user, channel)


def can_view(user, post: Post) -> bool:
    if post.is_deleted:
        return False
    if post.is_hidden or post.parent_hidden:  # a reply is hidden with the post it answers
        return user.pk == post.author_id or is_channel_editor(user, post.channel)
    return user.is_authenticated


def can_reply(user, post: Post) -> bool:
    """Any member of staff may reply anywhere, to a visible top-level post."""
    return user.is_authenticated and user.is_active and post.parent_id is None and post.is_visible


def can_edit(user, post: Post) -> bool:
    return post.author_id is not None and user.pk == post.author_id and not post.is_deleted


def can_delete(user, post: Post) -> bool:
    return can_edit(user, post)


def can_moderate(user, post: Post) -> bool:
    """Hide with a reason, see reports."""
    return is_channel_editor(user, post.channel)


def can_make_official(user, post: Post) -> bool:
    """Official announcement badge and pinning: the Redaktion and the channel's editors."""
    return post.parent_id is None and is_channel_editor(user, post.channel)


def can_publish_urgent(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(URGENT_PERMISSION)


def can_see_acknowledgements(user, post: Post) -> bool:
    """How many acknowledged, by department: the author and administrators. The same people see
    the per-person list; nobody else."""
    return user.is_authenticated and (user.pk == post.author_id or user.is_superuser)


def moderated_channel_ids(user) -> list[int] | None:
    """The channels whose reports this user handles: None means all of them."""
    if user.is_superuser or CENTRAL_EDITORS_GROUP in _group_names(user):
        return None
    ids = set(_edited_channel_ids(user))
    names = {name for name in _group_names(user) if name.startswith(CENTRAL_EDITORS_GROUP + " ")}
    if names:
        from people.models import Department

        departments = [d for d in Department.objects.all() if department_editors_group_name(d) in names]
        ids |= set(Channel.objects.filter(department__in=departments).values_list("id", flat=True))
    return sorted(ids)


def moderators_of(channel: Channel):
    """The active people who handle reports in this channel (see the module's docstring); one query."""
    from django.db.models import Q

    from people.models import User

    groups = [CENTRAL_EDITORS_GROUP]
    if channel.department_id:
        groups.append(department_editors_group_name(channel.department))
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=groups) | Q(edited_channels=channel))
        .distinct()
    )
