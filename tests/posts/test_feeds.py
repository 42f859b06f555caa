"""Feeds: what they show, keyset pagination, the "new posts" hint, and constant query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts import actions
from posts.models import Reaction
from tests.conftest import make_user
from tests.posts.conftest import post_in


def fill(channel, authors, n, *, tags=("Bürgerbüro", "Wahl"), reply=True):
    """n posts by alternating authors with tags, a mention, reactions and a reply each."""
    posts = []
    for i in range(n):
        author = authors[i % len(authors)]
        other = authors[(i + 1) % len(authors)]
        post = post_in(channel, author, f"Beitrag {i} #{tags[i % len(tags)]} @{other.username}")
        if reply:
            actions.create_post(author=other, channel=channel, parent=post, text="Antwort", check_limits=False)
        Reaction.objects.create(post=post, user=other, kind="helpful")
        Reaction.objects.create(post=post, user=author, kind="party")
        posts.append(post)
    return posts


@pytest.fixture
def authors(department, other_department):
    return [make_user(f"person.{i}", department=department if i % 2 else other_department) for i in range(6)]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "url",
    [
        "/beitraege/",
        "/beitraege/gefolgt/",
        "/beitraege/kanal/{channel}/",
        "/beitraege/thema/wahl/",
        "/beitraege/person/person.1/",
    ],
)
def test_feed_costs_the_same_queries_for_5_and_50_posts(
    url, user, user_client, general, channel, authors, django_assert_num_queries
):
    """5 vs 50 posts (the page shows 20): the same number of queries."""
    target = channel if "kanal" in url else general
    channel.posting_policy = "all"
    channel.save()
    url = url.format(channel=channel.slug)
    actions.follow(user=user, channel=target)
    actions.follow(user=user, person=authors[1])
    fill(target, authors[1:2] if "person" in url else authors, 5, tags=("Wahl",))
    # Once before counting: the process-wide caches (content types, e.g. of documents on a topic
    # page) are filled on a process's first request, not on every request.
    count_queries(user_client, url)
    few, response = count_queries(user_client, url)
    assert response.content.decode().count('class="card post') == 5
    fill(target, authors[1:2] if "person" in url else authors, 45, tags=("Wahl",))
    many, response = count_queries(user_client, url)
    assert response.content.decode().count('class="card post') == 20
    assert few == many


def test_all_feed_query_count(user_client, general, authors, django_assert_num_queries):
    """The "Alle" feed page costs 13 queries, however many posts it shows:
    1 session, 2 user, 3-4 the reader's permissions (user and groups: the "urgent notice" link),
    5 the channels the reader may post in, 6 the general channel (compose default), 7 the posts
    (authors, profiles, departments, channels joined; reply and reaction counts as subqueries),
    8 their tags, 9 the reader's own reactions, 10 the unread notifications count (menu),
    11 urgent notices for the banner, 12-13 the compose form's channel choices, 14 the mandatory
    reading still to confirm (menu: "Zu lesen")."""
    fill(general, authors, 30)
    user_client.get("/beitraege/")  # the general channel exists from here on
    with django_assert_num_queries(FEED_QUERIES):
        response = user_client.get("/beitraege/")
    assert response.status_code == 200


FEED_QUERIES = 14


def test_keyset_pagination_loads_older_posts(user_client, general, authors):
    posts = fill(general, authors, 25, reply=False)
    first = user_client.get("/beitraege/").content.decode()
    assert f"post-{posts[-1].pk}" in first and f"post-{posts[4].pk}" not in first
    assert f'href="?vor={posts[5].pk}"' in first
    older = user_client.get(f"/beitraege/?vor={posts[5].pk}").content.decode()
    assert f"post-{posts[4].pk}" in older and f"post-{posts[0].pk}" in older and f"post-{posts[5].pk}" not in older
    assert 'rel="next"' not in older
    # the fragment for "Ältere laden" without a full page
    part = user_client.get(f"/beitraege/?vor={posts[5].pk}&teil=1").content.decode()
    assert "<html" not in part and f"post-{posts[0].pk}" in part


def test_new_posts_hint(user_client, general, authors):
    posts = fill(general, authors, 2, reply=False)
    assert user_client.get(f"/beitraege/neue/?scope=all&nach={posts[-1].pk}").content.decode().strip() == ""
    post_in(general, authors[0], "Ganz neu")
    post_in(general, authors[1], "Noch neuer")
    hint = user_client.get(f"/beitraege/neue/?scope=all&nach={posts[-1].pk}").content.decode()
    assert "2 new posts" in hint or "2 neue Beiträge" in hint


def test_following_feed_shows_followed_people_channels_and_tags(user, user_client, general, channel, authors):
    from taggit.models import Tag

    by_person = post_in(general, authors[1], "Von einer Person, der ich folge")
    in_channel = post_in(channel, authors[1], "Im Kanal, dem ich folge")
    with_tag = post_in(general, authors[2], "Mit #Hochwasser")
    other = post_in(general, authors[2], "Sonstiges")
    actions.follow(user=user, person=authors[1])
    actions.follow(user=user, tag=Tag.objects.get(name="Hochwasser"))
    page = user_client.get("/beitraege/gefolgt/").content.decode()
    assert f"post-{by_person.pk}" in page and f"post-{in_channel.pk}" in page and f"post-{with_tag.pk}" in page
    assert f"post-{other.pk}" not in page


def test_hidden_and_deleted_posts_are_not_in_feeds(user_client, user, general, authors, central_editor):
    hidden = post_in(general, authors[0], "Versteckt")
    deleted = post_in(general, authors[1], "Gelöscht")
    actions.hide_post(post=hidden, moderator=central_editor, reason="Test")
    actions.delete_post(post=deleted, user=authors[1])
    page = user_client.get("/beitraege/").content.decode()
    assert f"post-{hidden.pk}" not in page and f"post-{deleted.pk}" not in page


def test_tag_feed_matches_umlaut_tags_case_insensitively(user_client, general, authors):
    post = post_in(general, authors[0], "Neu im #Bürgerbüro")
    page = user_client.get("/beitraege/thema/bürgerbüro/").content.decode()
    assert f"post-{post.pk}" in page
    assert user_client.get("/beitraege/thema/gibtsnicht/").status_code == 404


def test_thread_costs_the_same_queries_for_5_and_50_replies(user_client, general, authors):
    post = post_in(general, authors[0], "Frage an alle")
    for i in range(5):
        actions.create_post(
            author=authors[i % 6], channel=general, parent=post, text=f"Antwort {i} #x", check_limits=False
        )
    few, _response = count_queries(user_client, f"/beitraege/{post.pk}/")
    for i in range(45):
        reply = actions.create_post(
            author=authors[i % 6], channel=general, parent=post, text=f"Mehr {i} #y", check_limits=False
        )
        Reaction.objects.create(post=reply, user=authors[(i + 1) % 6], kind="heart")
    many, response = count_queries(user_client, f"/beitraege/{post.pk}/")
    assert response.content.decode().count('class="card post') == 51
    assert few == many


def test_tag_posts_include_for_the_wiki_topic_page(rf, user, general, authors):
    from django.template.loader import render_to_string
    from taggit.models import Tag

    post = post_in(general, authors[0], "Neu im #Bürgerbüro")
    hidden = post_in(general, authors[1], "Auch #Bürgerbüro, aber ausgeblendet")
    Post = type(post)
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    request = rf.get("/themen/buergerbuero/")
    request.user = user
    html = render_to_string(
        "posts/includes/tag_posts.html", {"tag": Tag.objects.get(name="Bürgerbüro")}, request=request
    )
    assert f"post-{post.pk}" in html and f"post-{hidden.pk}" not in html


def test_home_sections_show_pinned_and_latest(rf, user, general, authors, central_editor):
    from django.template.loader import render_to_string
    from django.utils import timezone

    pinned = post_in(general, authors[0], "Offizielle Mitteilung")
    actions.set_official(post=pinned, user=central_editor, official=True, pinned_until=timezone.localdate())
    latest = post_in(general, authors[1], "Neuester Beitrag")
    request = rf.get("/")
    request.user = user
    html = render_to_string("posts/includes/home_sections.html", {"page": None}, request=request)
    assert html.index(f"post-{pinned.pk}") < html.index('id="home-latest-heading"') < html.index(f"post-{latest.pk}")


def channel_counts(response) -> dict[str, int]:
    """{channel name: the number in its "Beiträge" column} of the channel overview."""
    rows = re.findall(r'<a href="/beitraege/kanal/[^"]+/">([^<]+)</a></td>\s*<td>(\d+)</td>', response.content.decode())
    return {name: int(count) for name, count in rows}


def test_channel_overview_counts_visible_top_level_posts_in_constant_queries(user_client, general, channel, authors):
    """/beitraege/kanaele/: per channel the posts a member of staff sees there - no replies, no
    deleted or hidden posts - and the same queries for 3 posts as for 30."""
    channel.posting_policy = "all"
    channel.save()
    fill(general, authors, 3)  # 3 posts, each with a reply
    few, response = count_queries(user_client, "/beitraege/kanaele/")
    assert channel_counts(response) == {general.name: 3, channel.name: 0}

    fill(general, authors, 27)
    posts = fill(channel, authors, 4, reply=False)
    posts[0].is_deleted = True
    posts[0].save(update_fields=["is_deleted"])
    posts[1].is_hidden = True
    posts[1].save(update_fields=["is_hidden"])
    many, response = count_queries(user_client, "/beitraege/kanaele/")
    assert channel_counts(response) == {general.name: 30, channel.name: 2}
    assert few == many
