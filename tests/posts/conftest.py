import pytest
from django.contrib.auth.models import Group, Permission

from people.permissions import CENTRAL_EDITORS_GROUP, CRISIS_TEAM_GROUP, department_editors_group_name
from posts import actions
from posts.models import Channel
from tests.conftest import make_group_member, make_user, sign_in


@pytest.fixture
def immediate_on_commit(monkeypatch):
    """Runs `transaction.on_commit` callbacks at once: the test's transaction never commits, but
    notifications and index updates are what these tests look at."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def general(db):
    return actions.general_channel()


@pytest.fixture
def channel(db, department):
    """The Bürgeramt's channel (policy: members of the department)."""
    return actions.channel_for_department(department)


@pytest.fixture
def other_department(db):
    from people.models import Department

    return Department.objects.create(name="Bauamt", short_name="BauA")


@pytest.fixture
def outsider(db, other_department):
    return make_user("klaus.hoffmann", department=other_department, first_name="Klaus", last_name="Hoffmann")


@pytest.fixture
def dept_editor(db, other_department, department):
    """Works in the Bauamt but edits the Bürgeramt's section and channel."""
    return make_group_member(
        "petra.schaefer",
        department_editors_group_name(department),
        department=other_department,
        first_name="Petra",
        last_name="Schäfer",
    )


@pytest.fixture
def central_editor(db, other_department):
    return make_group_member(
        "ulrike.friedrich",
        CENTRAL_EDITORS_GROUP,
        department=other_department,
        first_name="Ulrike",
        last_name="Friedrich",
    )


@pytest.fixture
def crisis_member(db, other_department):
    member = make_user("stephanie.mayer", department=other_department, first_name="Stephanie", last_name="Mayer")
    group, _ = Group.objects.get_or_create(name=CRISIS_TEAM_GROUP)
    group.permissions.add(Permission.objects.get(codename="publish_urgent", content_type__app_label="posts"))
    member.groups.add(group)
    return member


@pytest.fixture
def client_for():
    from django.test import Client

    def _client(user):
        client = Client()
        sign_in(client, user)
        return client

    return _client


def post_in(channel: Channel, author, text="Hallo", **kwargs):
    return actions.create_post(author=author, channel=channel, text=text, check_limits=False, **kwargs)
