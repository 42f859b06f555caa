"""Who may start posts per channel, reply, edit, moderate, mark official and publish urgent notices."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from posts import permissions
from posts.models import Channel
from tests.conftest import make_user
from tests.posts.conftest import post_in


def fresh(user):
    """The user as a new request would load it (permission caches empty)."""
    return type(user).objects.get(pk=user.pk)


def test_anyone_may_post_in_the_general_channel(general, user, outsider):
    assert permissions.can_start_post(user, general)
    assert permissions.can_start_post(outsider, general)


@pytest.mark.parametrize(
    ("policy", "member", "outsider_", "dept_editor_", "central_editor_"),
    [
        (Channel.Policy.ALL_STAFF, True, True, True, True),
        (Channel.Policy.MEMBERS, True, False, True, True),
        (Channel.Policy.EDITORS, False, False, True, True),
    ],
)
def test_department_channel_policy(
    channel, user, outsider, dept_editor, central_editor, policy, member, outsider_, dept_editor_, central_editor_
):
    channel.posting_policy = policy
    channel.save()
    assert permissions.can_start_post(fresh(user), channel) is member
    assert permissions.can_start_post(fresh(outsider), channel) is outsider_
    assert permissions.can_start_post(fresh(dept_editor), channel) is dept_editor_
    assert permissions.can_start_post(fresh(central_editor), channel) is central_editor_


def test_explicit_channel_editors_and_superusers(channel, outsider, admin_user):
    channel.posting_policy = Channel.Policy.EDITORS
    channel.save()
    assert not permissions.can_start_post(fresh(outsider), channel)
    channel.editors.add(outsider)
    assert permissions.can_start_post(fresh(outsider), channel)
    assert permissions.is_channel_editor(fresh(outsider), channel)
    assert permissions.can_start_post(admin_user, channel)


def test_editors_of_another_department_are_not_editors_here(channel, other_department):
    from people.permissions import department_editors_group_name

    bau_editor = make_user("markus.klein", department=other_department)
    bau_editor.groups.add(Group.objects.create(name=department_editors_group_name(other_department)))
    assert not permissions.is_channel_editor(fresh(bau_editor), channel)


def test_the_action_enforces_the_policy(channel, outsider):
    with pytest.raises(PermissionDenied):
        post_in(channel, outsider)


def test_anyone_may_reply_anywhere(channel, user, outsider):
    channel.posting_policy = Channel.Policy.EDITORS
    channel.save()
    from posts import actions

    root = post_in(channel, make_user("boss.chef", is_superuser=True))
    reply = actions.create_post(author=outsider, channel=channel, parent=root, text="Danke!", check_limits=False)
    assert reply.parent == root and reply.channel == channel


def test_no_replies_to_replies_or_hidden_posts(general, user, outsider, central_editor):
    from posts import actions

    root = post_in(general, user)
    reply = actions.create_post(author=outsider, channel=general, parent=root, text="Antwort", check_limits=False)
    assert not permissions.can_reply(user, reply)
    actions.hide_post(post=root, moderator=central_editor, reason="Falscher Kanal")
    assert not permissions.can_reply(outsider, root)


def test_only_the_author_edits_and_deletes(general, user, outsider, central_editor):
    post = post_in(general, user)
    assert permissions.can_edit(user, post) and permissions.can_delete(user, post)
    assert not permissions.can_edit(outsider, post)
    assert not permissions.can_edit(fresh(central_editor), post)


def test_moderation_and_official_marks_belong_to_channel_editors(
    channel, general, user, dept_editor, central_editor, outsider
):
    post = post_in(channel, user)
    assert permissions.can_moderate(fresh(dept_editor), post)
    assert permissions.can_make_official(fresh(central_editor), post)
    assert not permissions.can_moderate(fresh(outsider), post)
    assert not permissions.can_make_official(fresh(user), post)
    general_post = post_in(general, user)
    assert not permissions.can_moderate(fresh(dept_editor), general_post)
    assert permissions.can_moderate(fresh(central_editor), general_post)


def test_urgent_notices_need_the_krisenstab_permission(user, crisis_member, central_editor):
    assert permissions.can_publish_urgent(fresh(crisis_member))
    assert not permissions.can_publish_urgent(fresh(user))
    assert not permissions.can_publish_urgent(fresh(central_editor))


def test_acknowledgement_lists_only_for_author_and_admins(general, crisis_member, user, admin_user, central_editor):
    from posts import actions

    notice = actions.publish_urgent(author=fresh(crisis_member), text="Sturmwarnung")
    assert permissions.can_see_acknowledgements(crisis_member, notice)
    assert permissions.can_see_acknowledgements(admin_user, notice)
    assert not permissions.can_see_acknowledgements(user, notice)
    assert not permissions.can_see_acknowledgements(central_editor, notice)
