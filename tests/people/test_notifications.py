"""Notifications: mentions, replies, reactions (bundled per post), followed content (bundled),
urgent notices; the inbox with unread count; mark read; the daily e-mail digest."""

import pytest
from django.core import mail
from django.core.management import call_command

from people.models import Notification
from people.notifications import notify, send_digests
from posts import actions
from tests.conftest import make_user
from tests.posts import conftest as posts_fixtures
from tests.posts.conftest import post_in

# the microblog's fixtures, shared with tests/posts
client_for = posts_fixtures.client_for
crisis_member = posts_fixtures.crisis_member
general = posts_fixtures.general
immediate_on_commit = posts_fixtures.immediate_on_commit
other_department = posts_fixtures.other_department

pytestmark = pytest.mark.usefixtures("immediate_on_commit")


@pytest.fixture
def colleagues(department):
    return [
        make_user(f"kollege.{i}", department=department, first_name=f"Kollege{i}", last_name="Muster") for i in range(4)
    ]


def items(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def test_mention_notifies_the_mentioned_person_once(general, user, other_user):
    post_in(general, user, "Frage an @mehmet.yilmaz und nochmal @mehmet.yilmaz")
    (item,) = items(other_user)
    assert item.kind == Notification.Kind.MENTION
    assert item.verb == "Anna Schmidt hat Sie in einem Beitrag erwähnt"
    assert item.actor == user and item.url.startswith("/beitraege/")
    assert items(user) == []


def test_reactions_are_bundled_per_post_while_unread(general, user, colleagues):
    post = post_in(general, user, "Neue Dienstvereinbarung Homeoffice")
    other = post_in(general, user, "Anderer Beitrag")
    for colleague in colleagues[:3]:
        actions.toggle_reaction(post=post, user=colleague, kind="helpful")
    actions.toggle_reaction(post=other, user=colleagues[0], kind="party")
    bundled, single = items(user)
    assert bundled.kind == Notification.Kind.REACTION and bundled.count == 3
    assert bundled.verb == "Kollege2 Muster und 2 weitere haben auf Ihren Beitrag reagiert"
    assert single.count == 1 and single.verb == "Kollege0 Muster hat auf Ihren Beitrag reagiert"


def test_after_reading_a_new_event_starts_a_new_item(general, user, colleagues, client_for):
    post = post_in(general, user, "Text")
    actions.toggle_reaction(post=post, user=colleagues[0], kind="helpful")
    client_for(user).post("/benachrichtigungen/gelesen/", {"alle": "1"})
    actions.toggle_reaction(post=post, user=colleagues[1], kind="helpful")
    first, second = items(user)
    assert first.read_at is not None and first.count == 1
    assert second.read_at is None and second.count == 1


def test_own_reactions_and_replies_notify_nobody(general, user):
    post = post_in(general, user, "Text")
    actions.toggle_reaction(post=post, user=user, kind="helpful")
    actions.create_post(author=user, channel=general, parent=post, text="Nachtrag", check_limits=False)
    assert items(user) == []


def test_replies_are_bundled_and_a_mentioned_author_is_not_notified_twice(general, user, colleagues):
    post = post_in(general, user, "Wer kennt sich mit XÖV aus?")
    actions.create_post(author=colleagues[0], channel=general, parent=post, text="Ich", check_limits=False)
    actions.create_post(author=colleagues[1], channel=general, parent=post, text="Ich auch", check_limits=False)
    actions.create_post(
        author=colleagues[2], channel=general, parent=post, text="@anna.schmidt frag Jan", check_limits=False
    )
    reply_item, mention_item = items(user)
    assert reply_item.kind == Notification.Kind.REPLY and reply_item.count == 2
    assert "und 1 weitere haben auf Ihren Beitrag geantwortet" in reply_item.verb
    assert mention_item.kind == Notification.Kind.MENTION


def test_new_posts_in_what_i_follow_are_bundled(general, user, colleagues):
    from taggit.models import Tag

    actions.follow(user=user, person=colleagues[0])
    post_in(general, colleagues[1], "#Hochwasser Pegel steigt")
    actions.follow(user=user, tag=Tag.objects.get(name="Hochwasser"))
    post_in(general, colleagues[0], "Beitrag 1")
    post_in(general, colleagues[1], "Beitrag 2 #hochwasser")
    post_in(general, colleagues[2], "Nicht gefolgt")
    (item,) = items(user)
    assert item.kind == Notification.Kind.FOLLOWED and item.count == 2
    assert item.verb == "2 neue Beiträge in dem, dem Sie folgen"
    assert item.url == "/beitraege/gefolgt/"


def test_urgent_notice_reaches_everyone(crisis_member, user, other_user):
    actions.publish_urgent(author=crisis_member, text="**Sturm**: Rathaus schließt um 14 Uhr")
    for person in (user, other_user):
        (item,) = items(person)
        assert item.kind == Notification.Kind.URGENT and item.verb == "Eilmeldung: Sturm: Rathaus schließt um 14 Uhr"
    assert items(crisis_member) == []


# --- inbox ------------------------------------------------------------------------------------


def test_inbox_lists_items_and_menu_shows_the_unread_count(user_client, user, other_user, django_assert_num_queries):
    for i in range(3):
        notify(recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb=f"Meldung {i}", url="/beitraege/")
    response = user_client.get("/benachrichtigungen/")
    html = response.content.decode()
    assert "Meldung 0" in html and "Meldung 2" in html
    assert '<span class="badge-count">3</span>' in html
    for i in range(30):
        notify(recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb=f"Mehr {i}", url="/beitraege/")
    # 1 session, 2 user, 3 items with actors, 4 digest setting, 5-6 the reader's permissions
    # (header: "Editing" link), 7 unread count (menu), 8 urgent notices (banner) — the same
    # for 3 or 33 items. 9 the mandatory reading still to confirm ("Zu lesen", menu).
    with django_assert_num_queries(9):
        user_client.get("/benachrichtigungen/")


def test_opening_an_item_marks_it_read_and_follows_its_link(user_client, user, other_user):
    item = notify(recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb="X", url="/beitraege/")
    response = user_client.get(f"/benachrichtigungen/{item.pk}/")
    assert response.status_code == 302 and response["Location"] == "/beitraege/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_items_of_others_cannot_be_opened_or_marked(client_for, user, other_user):
    item = notify(
        recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb="X", url="https://evil.example/"
    )
    other = client_for(other_user)
    assert other.get(f"/benachrichtigungen/{item.pk}/")["Location"] == "/benachrichtigungen/"
    other.post("/benachrichtigungen/gelesen/", {"id": item.pk})
    item.refresh_from_db()
    assert item.read_at is None
    # and an external link is never followed, even for the owner
    assert client_for(user).get(f"/benachrichtigungen/{item.pk}/")["Location"] == "/benachrichtigungen/"


def test_mark_one_read(user_client, user, other_user):
    first = notify(recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb="A")
    second = notify(recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb="B")
    user_client.post("/benachrichtigungen/gelesen/", {"id": first.pk})
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert Notification.objects.get(pk=second.pk).read_at is None
    assert user_client.post("/benachrichtigungen/gelesen/", {"id": "abc"}).status_code == 302


# --- digest -----------------------------------------------------------------------------------


def test_digest_sends_unread_items_once_and_respects_the_switch(user, other_user, colleagues, general):
    post = post_in(general, user, "Text")
    actions.toggle_reaction(post=post, user=colleagues[0], kind="helpful")
    actions.toggle_reaction(post=post, user=colleagues[1], kind="helpful")
    post_in(general, colleagues[2], "Hallo @mehmet.yilmaz")
    other_user.profile.email_digest = False
    other_user.profile.save()

    assert send_digests() == 1
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "Kollege1 Muster und 1 weitere haben auf Ihren Beitrag reagiert" in message.body
    assert "http://" in message.body and "/beitraege/" in message.body

    # nothing twice: a second run sends nothing; a new reaction starts a new item, not the old one
    assert send_digests() == 0
    actions.toggle_reaction(post=post, user=colleagues[3], kind="helpful")
    assert [i.count for i in items(user)] == [2, 1]
    call_command("send_digest", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2
    assert (
        "Kollege1" not in mail.outbox[1].body
        and "Kollege3 Muster hat auf Ihren Beitrag reagiert" in mail.outbox[1].body
    )


def test_digest_skips_read_items(user, other_user):
    item = notify(recipient=user, kind=Notification.Kind.MENTION, actor=other_user, verb="Gelesen")
    from people.notifications import mark_read

    mark_read(user=user, notification_id=item.pk)
    assert send_digests() == 0


def test_digest_can_be_switched_off_in_the_inbox(user_client, user):
    user_client.post("/benachrichtigungen/einstellungen/", {"email_digest": "0"})
    user.profile.refresh_from_db()
    assert user.profile.email_digest is False
    user_client.post("/benachrichtigungen/einstellungen/", {"email_digest": "1"})
    user.profile.refresh_from_db()
    assert user.profile.email_digest is True
