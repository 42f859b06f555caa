"""GDPR: export of what the microblog stores about a person, erasure with or without posts."""

import json

from posts import actions, privacy
from posts.models import Acknowledgement, Follow, Post, Reaction, Report
from tests.posts.conftest import post_in


def test_export_is_complete_and_json_serialisable(general, user, other_user, crisis_member):
    post = post_in(general, user, "Mein Beitrag #Datenschutz")
    actions.edit_post(post=post, user=user, text="Mein Beitrag, überarbeitet #Datenschutz")
    other = post_in(general, other_user, "Fremder Beitrag")
    actions.toggle_reaction(post=other, user=user, kind="helpful")
    actions.report_post(post=other, reporter=user, reason="Test")
    actions.follow(user=user, person=other_user)
    notice = actions.publish_urgent(author=crisis_member, text="Eilmeldung")
    actions.acknowledge(post=notice, user=user)

    data = json.loads(json.dumps(privacy.export_user_data(user)))
    (exported,) = data["posts"]
    assert exported["text"] == "Mein Beitrag, überarbeitet #Datenschutz"
    assert exported["tags"] == ["Datenschutz"]
    assert exported["earlier_versions"][0]["text"] == "Mein Beitrag #Datenschutz"
    assert data["reactions"] == [{"post": other.pk, "reaction": "helpful", "at": data["reactions"][0]["at"]}]
    assert [a["post"] for a in data["acknowledgements"]] == [notice.pk]
    assert data["follows"] == [{"person": other_user.username, "channel": None, "tag": None}]
    assert data["reports"][0]["reason"] == "Test"
    assert "Fremder Beitrag" not in json.dumps(data)


def _activity(general, user, other_user):
    mine = post_in(general, user, "Von mir")
    theirs = post_in(general, other_user, "Von Mehmet, erwähnt @anna.schmidt")
    actions.toggle_reaction(post=theirs, user=user, kind="heart")
    actions.follow(user=user, person=other_user)
    actions.follow(user=other_user, person=user)
    actions.report_post(post=theirs, reporter=user, reason="Test")
    return mine, theirs


def test_erase_keeping_posts(general, user, other_user):
    mine, theirs = _activity(general, user, other_user)
    privacy.erase_user(user, keep_posts=True)
    assert Post.objects.filter(pk=mine.pk, author=user).exists()
    assert not Reaction.objects.filter(user=user).exists()
    assert not Follow.objects.filter(follower=user).exists() and not Follow.objects.filter(person=user).exists()
    assert not Report.objects.filter(reporter=user).exists()
    assert not theirs.mentions.filter(pk=user.pk).exists()
    assert not Acknowledgement.objects.filter(user=user).exists()


def test_erase_deleting_posts(general, user, other_user):
    mine, theirs = _activity(general, user, other_user)
    reply = actions.create_post(author=other_user, channel=general, parent=mine, text="Antwort", check_limits=False)
    privacy.erase_user(user, keep_posts=False)
    assert not Post.objects.filter(pk__in=[mine.pk, reply.pk]).exists()
    assert Post.objects.filter(pk=theirs.pk).exists()


def test_posts_of_a_deleted_account_show_former_staff(user_client, general, other_user):
    post = post_in(general, other_user, "Bleibt stehen")
    Post.objects.filter(pk=post.pk).update(author=None)
    html = user_client.get(f"/beitraege/{post.pk}/").content.decode()
    assert "Ehemalige/r Mitarbeiter/in" in html and "Bleibt stehen" in html
