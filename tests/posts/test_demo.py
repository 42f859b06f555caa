"""posts.demo: a believable microblog for Stadt Musterstadt, idempotent."""

import pytest

from people import demo as people_demo
from posts import demo
from posts.models import Channel, Post, Reaction
from tests.conftest import sign_in


@pytest.mark.django_db
def test_demo_builds_channels_threads_tags_and_runs_again_without_duplicates():
    people_demo.load()
    result = demo.load()
    assert result["posts_created"] >= 300
    assert Channel.objects.filter(department=None).count() == 1
    assert Channel.objects.exclude(department=None).count() >= 8
    top = Post.objects.filter(parent=None)
    assert top.count() >= 150 and Post.objects.exclude(parent=None).count() >= 150
    assert top.filter(tags__name="Bürgerbüro").exists()
    assert Post.objects.exclude(mentions=None).exists()
    assert Reaction.objects.count() >= 300
    assert top.filter(is_official=True, pinned_until__isnull=False).exists()
    assert top.filter(is_urgent=True).exists()
    counts = (Post.objects.count(), Channel.objects.count(), Reaction.objects.count())
    demo.load()
    assert (Post.objects.count(), Channel.objects.count(), Reaction.objects.count()) == counts


@pytest.mark.django_db
def test_demo_feed_renders(client):
    people_demo.load()
    demo.load()
    from people.models import User

    sign_in(client, User.objects.get(username="anna.schmidt"))
    response = client.get("/beitraege/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card post') == 20
