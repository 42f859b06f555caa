"""What needs an action reaches the stand-in of an absent moderator (issue 16): a report goes to the
channel's moderators and to the stand-ins of those away, marked "In Vertretung für …", once each.
Plain mentions and reactions do not go to the stand-in."""

import datetime

import pytest
from django.utils import timezone

from people.models import Absence, Notification
from posts import actions
from tests.conftest import make_user
from tests.posts.conftest import post_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


def away(user, *, deputy=None):
    today = timezone.localdate()
    return Absence.objects.create(user=user, starts_on=today, ends_on=today + datetime.timedelta(days=3), deputy=deputy)


def inbox(user, kind=Notification.Kind.REPORT):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("verb", flat=True))


def test_a_report_reaches_the_moderators_and_the_stand_in_of_an_absent_one(
    immediate_on_commit, user_client, channel, user, other_user, dept_editor, central_editor
):
    stand_in = make_user("lena.richter", first_name="Lena", last_name="Richter")
    away(dept_editor, deputy=stand_in)
    post = post_in(channel, other_user, "Unpassender Text")

    user_client.post(f"/beitraege/{post.pk}/melden/", {"reason": "Enthält eine Privatadresse"})

    assert inbox(dept_editor) == ["Ein Beitrag in Bürgeramt wurde an die Moderation gemeldet"]
    assert inbox(central_editor) == ["Ein Beitrag in Bürgeramt wurde an die Moderation gemeldet"]
    assert inbox(stand_in) == [
        "In Vertretung für Petra Schäfer: Ein Beitrag in Bürgeramt wurde an die Moderation gemeldet"
    ]
    assert inbox(user) == [] and inbox(other_user) == []  # not the reporter, not the author

    # A second report of the same post: one item each, counted, still nothing twice.
    actions.report_post(post=post, reporter=other_user, reason="Auch gemeldet")
    assert inbox(stand_in) == [
        "In Vertretung für Petra Schäfer: Ein Beitrag in Bürgeramt wurde 2-mal an die Moderation gemeldet"
    ]
    assert Notification.objects.filter(kind=Notification.Kind.REPORT).count() == 3


def test_a_stand_in_who_moderates_anyway_gets_it_once(
    immediate_on_commit, user_client, channel, other_user, dept_editor, central_editor
):
    away(dept_editor, deputy=central_editor)
    post = post_in(channel, other_user, "Unpassender Text")
    user_client.post(f"/beitraege/{post.pk}/melden/", {"reason": "Enthält eine Privatadresse"})
    assert inbox(central_editor) == ["Ein Beitrag in Bürgeramt wurde an die Moderation gemeldet"]


def test_a_stand_in_for_two_absent_moderators_gets_one_item(
    immediate_on_commit, user_client, channel, other_user, dept_editor, central_editor
):
    stand_in = make_user("lena.richter", first_name="Lena", last_name="Richter")
    away(dept_editor, deputy=stand_in)
    away(central_editor, deputy=stand_in)
    post = post_in(channel, other_user, "Unpassender Text")
    user_client.post(f"/beitraege/{post.pk}/melden/", {"reason": "Enthält eine Privatadresse"})
    assert inbox(stand_in) == [
        "In Vertretung für Petra Schäfer, Ulrike Friedrich: Ein Beitrag in Bürgeramt wurde an die Moderation gemeldet"
    ]


def test_a_refused_report_notifies_nobody(immediate_on_commit, user_client, channel, other_user, dept_editor):
    post = post_in(channel, other_user, "Unpassender Text")
    assert user_client.post(f"/beitraege/{post.pk}/melden/", {"reason": ""}).status_code == 400
    assert user_client.post(f"/beitraege/{post.pk}/melden/", {"reason": "x" * 501}).status_code == 400
    assert not Notification.objects.filter(kind=Notification.Kind.REPORT).exists()


def test_mentions_and_reactions_do_not_go_to_the_stand_in(immediate_on_commit, general, user, other_user):
    stand_in = make_user("lena.richter", first_name="Lena", last_name="Richter")
    away(other_user, deputy=stand_in)
    post_in(general, user, "Frage an @mehmet.yilmaz")  # the worker runs at once in the tests
    actions.toggle_reaction(post=post_in(general, other_user, "Hallo"), user=user, kind="helpful")
    kinds = set(Notification.objects.filter(recipient=other_user).values_list("kind", flat=True))
    assert kinds == {Notification.Kind.MENTION, Notification.Kind.REACTION}
    assert not Notification.objects.filter(recipient=stand_in).exists()
