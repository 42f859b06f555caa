"""Every way in: none, session (with and without CSRF), read and write tokens, revoked,
expired, inactive, malformed — and the rate limit."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from intranet import tokens
from intranet.models import ApiToken
from tests.api.conftest import token_for
from tests.conftest import make_user, sign_in

POST = {"text": "Neue Öffnungszeiten ab Montag"}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["fields"], list)
    return body["error"]


@pytest.mark.parametrize(
    "method,path", [("get", "/api/v1/posts"), ("post", "/api/v1/posts"), ("get", "/api/v1/people")]
)
def test_without_credentials_the_api_answers_401_json_never_a_redirect(client, db, method, path):
    response = getattr(client, method)(path)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_browser_session_reads(user_client, general, user):
    response = user_client.get("/api/v1/posts")
    assert response.status_code == 200


def test_a_session_write_without_csrf_token_is_refused(csrf_client, general):
    response = csrf_client.post("/api/v1/posts", POST, content_type="application/json")
    assert_error(response, 403, "csrf_failed")


def test_a_session_write_with_csrf_token_is_accepted(csrf_client, general):
    csrf_client.get("/api-zugang/")  # any page sets the CSRF cookie
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post("/api/v1/posts", POST, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content


def test_a_read_token_reads_but_cannot_write(token_client, general):
    assert token_client.get("/api/v1/posts").status_code == 200
    response = token_client.post("/api/v1/posts", POST, content_type="application/json")
    assert_error(response, 403, "insufficient_scope")


def test_a_write_token_writes_without_csrf(write_client, general, user):
    response = write_client.post("/api/v1/posts", POST, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["author"]["username"] == user.username


def test_a_token_acts_as_its_user_not_as_the_session(client, user, other_user, general):
    """A token in the header wins over a browser session of someone else."""
    sign_in(client, other_user)
    token = token_for(user, "write")
    response = client.post(
        "/api/v1/posts", POST, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.json()["author"]["username"] == user.username


@pytest.mark.parametrize(
    "header",
    ["Bearer wn_not-a-real-token", "Bearer ", "Bearer something-else", "Basic YW5uYTpwYXNzd29yZA==", "Token abc"],
)
def test_a_wrong_or_malformed_token_is_401(client, db, header):
    response = client.get("/api/v1/posts", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"invalid_token", "not_authenticated"}


def test_a_wrong_token_is_refused_even_with_a_valid_session(user_client, db):
    response = user_client.get("/api/v1/posts", headers={"Authorization": "Bearer wn_wrong"})
    assert_error(response, 401, "invalid_token")


def test_a_revoked_token_is_refused(client, user, general):
    token, plain = tokens.create_token(user=user, name="Skript", scope="read")
    tokens.revoke_token(token=token, by=user)
    assert_error(client.get("/api/v1/posts", headers={"Authorization": f"Bearer {plain}"}), 401, "invalid_token")


def test_an_expired_token_is_refused(client, user, general):
    token, plain = tokens.create_token(user=user, name="Skript", scope="read", expires_in_days=1)
    assert client.get("/api/v1/posts", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_error(client.get("/api/v1/posts", headers={"Authorization": f"Bearer {plain}"}), 401, "invalid_token")


def test_the_token_of_a_deactivated_user_is_refused(client, user, general):
    plain = token_for(user)
    user.is_active = False
    user.save()
    assert_error(client.get("/api/v1/posts", headers={"Authorization": f"Bearer {plain}"}), 401, "invalid_token")


def test_only_the_hash_is_stored_and_last_use_is_recorded_once_a_minute(client, user, general):
    token, plain = tokens.create_token(user=user, name="Monitoring", scope="read")
    assert plain not in {token.key_hash, token.prefix} and plain.startswith(token.prefix)
    assert not ApiToken.objects.filter(key_hash=plain).exists()
    headers = {"Authorization": f"Bearer {plain}"}
    client.get("/api/v1/posts", headers=headers)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get("/api/v1/posts", headers=headers)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # not written again within the minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/posts", headers=headers)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_an_editor_without_second_factor_gets_json_403_not_a_redirect(db, department, general):
    editor = make_user("eva.editor", department=department, is_staff=True)
    client = Client()
    client.force_login(editor)
    assert_error(client.get("/api/v1/posts"), 403, "mfa_required")


def test_the_rate_limit_answers_429_with_retry_after(token_client, general, settings):
    settings.API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert token_client.get("/api/v1/posts").status_code == 200
    response = token_client.get("/api/v1/posts")
    assert_error(response, 429, "rate_limited")
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_rate_limit_counts_per_user_not_per_token(user, general, settings):
    settings.API_RATE_LIMIT = "2/m"
    first, second = Client(), Client()
    first.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_for(user)}"
    second.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_for(user)}"
    assert first.get("/api/v1/posts").status_code == 200
    assert second.get("/api/v1/posts").status_code == 200
    assert second.get("/api/v1/posts").status_code == 429


def test_the_posting_rate_limit_of_the_site_applies_with_429(write_client, general, settings):
    from posts.actions import RATE_LIMIT

    count, seconds = RATE_LIMIT
    for n in range(count):
        assert (
            write_client.post("/api/v1/posts", {"text": f"Beitrag {n}"}, content_type="application/json").status_code
            == 201
        )
    response = write_client.post("/api/v1/posts", {"text": "Einer zu viel"}, content_type="application/json")
    error = assert_error(response, 429, "rate_limited")
    assert response["Retry-After"] == str(seconds)
    assert "Minute" in error["message"]  # the site's own message, in German
