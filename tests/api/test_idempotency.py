"""Idempotency-Key on API writes (issue 13, point 8c): a retried write is answered from the first
answer and not carried out twice; on both databases (the suite runs on SQLite and PostgreSQL)."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from intranet.models import IdempotencyKey
from posts.models import Post, Reaction
from tests.api.conftest import post_in, token_for
from tests.api.test_auth import assert_error


def write(client, body, key=None, path="/api/v1/posts"):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_once(write_client, general):
    first = write(write_client, {"text": "Nur einmal bitte"}, key="8f14e45f-ceea-467f-a8f9-5f2b1c7d1e01")
    again = write(write_client, {"text": "Nur einmal bitte"}, key="8f14e45f-ceea-467f-a8f9-5f2b1c7d1e01")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Post.objects.count() == 1


def test_without_a_key_or_with_another_key_each_write_is_carried_out(write_client, general):
    write(write_client, {"text": "Eins"})
    write(write_client, {"text": "Eins"}, key="a")
    write(write_client, {"text": "Eins"}, key="b")
    assert Post.objects.count() == 3


def test_a_toggle_is_not_toggled_back_by_a_retry(write_client, general, user):
    post = post_in(general, user, "Reagieren")
    path = f"/api/v1/posts/{post.pk}/reactions"
    answers = [write(write_client, {"kind": "heart"}, key="herz-1", path=path).json() for _ in range(2)]
    assert answers[0] == answers[1] and answers[0]["added"] is True
    assert Reaction.objects.filter(post=post, kind="heart").count() == 1


def test_the_same_key_with_another_body_is_422(write_client, general):
    write(write_client, {"text": "Erster Text"}, key="k-1")
    error = assert_error(write(write_client, {"text": "Anderer Text"}, key="k-1"), 422, "idempotency_key_reused")
    assert error["fields"][0]["field"] == "Idempotency-Key"
    assert list(Post.objects.values_list("text", flat=True)) == ["Erster Text"]


def test_keys_belong_to_their_user(write_client, general, other_user):
    other = Client(headers={"Authorization": f"Bearer {token_for(other_user, 'write')}"})
    write(write_client, {"text": "Hallo"}, key="gemeinsam")
    assert write(other, {"text": "Hallo"}, key="gemeinsam").status_code == 201
    assert Post.objects.count() == 2


def test_the_same_user_with_another_token_gets_the_replay(write_client, general, user):
    second = Client(headers={"Authorization": f"Bearer {token_for(user, 'write')}"})
    first = write(write_client, {"text": "Hallo"}, key="k")
    assert write(second, {"text": "Hallo"}, key="k").json() == first.json()
    assert Post.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "mit leerzeichen", "umlaut-ä"])
def test_an_invalid_key_is_400_and_nothing_is_written(write_client, general, key):
    error = assert_error(write(write_client, {"text": "Hallo"}, key=key), 400, "invalid_idempotency_key")
    assert error["fields"][0]["field"] == "Idempotency-Key"
    assert not Post.objects.exists()


def test_a_refused_write_releases_the_key(write_client, general):
    assert write(write_client, {"text": "   "}, key="k").status_code == 400
    assert write(write_client, {"text": "   "}, key="k").status_code == 400  # not a replay: run again
    assert not IdempotencyKey.objects.exists()


def test_a_key_older_than_a_day_is_forgotten(write_client, general):
    import datetime

    from django.utils import timezone

    write(write_client, {"text": "Hallo"}, key="k")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert "Idempotent-Replayed" not in write(write_client, {"text": "Hallo"}, key="k")
    assert Post.objects.count() == 2


def test_a_duplicate_while_the_first_still_runs_is_409(write_client, general, user, monkeypatch):
    """The first request holds the claimed key while it runs; a duplicate that arrives then is
    refused (not carried out) and may retry."""
    from posts import actions

    original = actions.create_post
    answers = {}

    def create_post(**kwargs):
        answers["duplicate"] = write(write_client, {"text": "Parallel"}, key="k")
        return original(**kwargs)

    monkeypatch.setattr(actions, "create_post", create_post)
    first = write(write_client, {"text": "Parallel"}, key="k")
    assert first.status_code == 201
    assert_error(answers["duplicate"], 409, "idempotency_key_in_progress")
    assert answers["duplicate"]["Retry-After"] == "1"
    assert Post.objects.count() == 1


def test_parallel_duplicates_write_once(database_for_threads, user, general):
    """Threads with their own database connections send the same write at once: one is carried
    out, the others get its answer or 409; never two posts."""
    token = token_for(user, "write")
    statuses, errors = [], []
    start = threading.Barrier(4)

    def client():
        try:
            start.wait(timeout=30)
            c = Client(headers={"Authorization": f"Bearer {token}"})
            statuses.append(write(c, {"text": "Gleichzeitig"}, key="parallel-1").status_code)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Post.objects.filter(text="Gleichzeitig").count() == 1
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}
