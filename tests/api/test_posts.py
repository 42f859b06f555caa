"""/api/v1/posts: the feed's reads and the site's actions, with the site's rules."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from people.models import Notification
from posts import actions
from posts.models import Post
from tests.api.conftest import post_in, token_for


@pytest.fixture
def channel(db, department):
    return actions.channel_for_department(department)


def test_lists_posts_newest_first_with_author_tags_and_counts(token_client, general, user, other_user):
    first = post_in(general, user, "Erster #Bürgerbüro")
    post_in(general, other_user, "Zweiter")
    post_in(general, other_user, "Antwort", parent=first)
    body = token_client.get("/api/v1/posts").json()
    assert [p["text"] for p in body["results"]] == ["Zweiter", "Erster #Bürgerbüro"]  # replies are not in the feed
    assert body["results"][1]["tags"] == ["Bürgerbüro"] and body["results"][1]["reply_count"] == 1
    assert body["next_before"] is None


def test_filters_by_channel_tag_author_and_since(token_client, general, channel, user, other_user):
    post_in(general, user, "Allgemein #Wahl")
    post_in(channel, user, "Im Kanal")
    old = post_in(general, other_user, "Alt")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    texts = lambda q: [p["text"] for p in token_client.get("/api/v1/posts" + q).json()["results"]]  # noqa: E731
    assert texts(f"?channel={channel.slug}") == ["Im Kanal"]
    assert texts("?tag=wahl") == ["Allgemein #Wahl"]
    assert texts("?author=mehmet.yilmaz") == ["Alt"]
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert texts(f"?since={since}") == ["Im Kanal", "Allgemein #Wahl"]


def test_pages_with_before(token_client, general, user):
    for n in range(5):
        post_in(general, user, f"Beitrag {n}")
    page = token_client.get("/api/v1/posts?limit=2").json()
    assert [p["text"] for p in page["results"]] == ["Beitrag 4", "Beitrag 3"]
    rest = token_client.get(f"/api/v1/posts?limit=2&before={page['next_before']}").json()
    assert [p["text"] for p in rest["results"]] == ["Beitrag 2", "Beitrag 1"]


def test_hidden_and_deleted_posts_are_not_shown(token_client, general, other_user, admin_user):
    hidden = post_in(general, other_user, "Verborgen")
    actions.hide_post(post=hidden, moderator=admin_user, reason="Datenschutz")
    deleted = post_in(general, other_user, "Gelöscht")
    actions.delete_post(post=deleted, user=other_user)
    assert token_client.get("/api/v1/posts").json()["results"] == []
    assert token_client.get(f"/api/v1/posts/{hidden.pk}").status_code == 404
    assert token_client.get(f"/api/v1/posts/{deleted.pk}").status_code == 404


def test_one_post_with_its_replies(token_client, general, user, other_user):
    post = post_in(general, user, "Frage")
    post_in(general, other_user, "Antwort 1", parent=post)
    post_in(general, user, "Antwort 2", parent=post)
    body = token_client.get(f"/api/v1/posts/{post.pk}").json()
    assert body["text"] == "Frage" and [r["text"] for r in body["replies"]] == ["Antwort 1", "Antwort 2"]
    assert body["replies"][0]["reply_to"] == post.pk


def test_writing_goes_through_the_action_sanitising_and_notifying(
    write_client, general, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = write_client.post(
            "/api/v1/posts",
            {"text": "Hallo @mehmet.yilmaz <script>alert(1)</script> #Wahl"},
            content_type="application/json",
        )
    assert response.status_code == 201
    body = response.json()
    assert "<script" not in body["html"] and body["tags"] == ["Wahl"] and body["channel"]["slug"] == "allgemein"
    assert Notification.objects.filter(recipient=other_user, kind=Notification.Kind.MENTION).exists()


def test_replying_notifies_the_author(write_client, general, other_user, django_capture_on_commit_callbacks):
    post = post_in(general, other_user, "Frage")
    with django_capture_on_commit_callbacks(execute=True):
        response = write_client.post(
            "/api/v1/posts", {"text": "Antwort", "reply_to": post.pk}, content_type="application/json"
        )
    assert response.status_code == 201 and response.json()["reply_to"] == post.pk
    assert Notification.objects.filter(recipient=other_user, kind=Notification.Kind.REPLY).exists()


def test_a_token_never_grants_more_than_its_user(general, channel, other_department_user):
    """Klaus works in the Bauamt; the Bürgeramt's channel is for its members — a write token does not change that."""
    client = Client(headers={"Authorization": f"Bearer {token_for(other_department_user, 'write')}"})
    response = client.post("/api/v1/posts", {"text": "Hallo", "channel": channel.slug}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Post.objects.exists()


@pytest.fixture
def other_department_user(db):
    from people.models import Department
    from tests.conftest import make_user

    return make_user("klaus.hoffmann", department=Department.objects.create(name="Bauamt"))


def test_writing_into_a_channel_the_user_belongs_to(write_client, channel):
    response = write_client.post(
        "/api/v1/posts", {"text": "Hallo", "channel": channel.slug}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["channel"]["slug"] == channel.slug


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"text": "Hallo", "channel": "gibt-es-nicht"}, "channel"),
        ({"text": "Hallo", "reply_to": 999999}, "reply_to"),
        ({"text": "x" * 10_001}, "text"),
        ({"text": 5}, "text"),
    ],
)
def test_bad_posts_are_refused_with_the_field(write_client, general, payload, field):
    response = write_client.post("/api/v1/posts", payload, content_type="application/json")
    assert response.status_code in {400, 422}
    assert field in [f["field"] for f in response.json()["error"]["fields"]]
    assert not Post.objects.exists()


def test_a_reply_to_a_hidden_post_is_refused(write_client, general, other_user, admin_user):
    post = post_in(general, other_user, "Verborgen")
    actions.hide_post(post=post, moderator=admin_user, reason="Datenschutz")
    response = write_client.post(
        "/api/v1/posts", {"text": "Antwort", "reply_to": post.pk}, content_type="application/json"
    )
    assert response.status_code == 422


def test_reacting_toggles_and_notifies(write_client, general, other_user, django_capture_on_commit_callbacks):
    post = post_in(general, other_user, "Geschafft!")
    url = f"/api/v1/posts/{post.pk}/reactions"
    with django_capture_on_commit_callbacks(execute=True):
        added = write_client.post(url, {"kind": "party"}, content_type="application/json").json()
    assert added == {"kind": "party", "added": True, "reactions": {"helpful": 0, "heart": 0, "party": 1}}
    assert Notification.objects.filter(recipient=other_user, kind=Notification.Kind.REACTION).exists()
    assert write_client.get(f"/api/v1/posts/{post.pk}").json()["my_reactions"] == ["party"]
    removed = write_client.post(url, {"kind": "party"}, content_type="application/json").json()
    assert removed["added"] is False and removed["reactions"]["party"] == 0


def test_reaction_errors(write_client, token_client, general, other_user):
    post = post_in(general, other_user, "Hallo")
    url = f"/api/v1/posts/{post.pk}/reactions"
    bad = write_client.post(url, {"kind": "angry"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "kind"
    assert (
        write_client.post(
            "/api/v1/posts/999999/reactions", {"kind": "heart"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert token_client.post(url, {"kind": "heart"}, content_type="application/json").status_code == 403


def test_the_feed_costs_the_same_queries_for_5_or_50_posts(
    token_client, general, user, other_user, django_assert_num_queries
):
    token_client.get("/api/v1/posts")  # records the token's last use

    def fetch(n):
        # 1 token+user, 1 posts with author, profile, department, channel and counts, 1 tags, 1 own reactions
        with django_assert_num_queries(4):
            assert len(token_client.get("/api/v1/posts?limit=100").json()["results"]) == n

    for n in range(5):
        post_in(general, user if n % 2 else other_user, f"Beitrag #thema{n}")
    fetch(5)
    for n in range(45):
        post_in(general, other_user, f"Noch einer #x{n} #y{n}")
    fetch(50)
