"""The one error shape, whatever went wrong — and never an HTML page or a stack trace."""

import pytest

from tests.api.test_auth import assert_error


@pytest.mark.parametrize(
    "path", ["/api/v1/gibt-es-nicht", "/api/v1/posts/", "/api/v1/posts/abc", "/api/v1/v2/posts", "/api/v1/people/x/y"]
)
def test_unknown_urls_below_the_api_are_json_404(token_client, path):
    assert_error(token_client.get(path), 404, "not_found")


def test_unknown_urls_are_404_even_without_credentials(client, db):
    assert_error(client.get("/api/v1/gibt-es-nicht"), 404, "not_found")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_wrong_method_is_json_405_with_allow(token_client, method):
    response = getattr(token_client, method)("/api/v1/posts")
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_the_api_root_describes_itself_and_refuses_writes(token_client, client, db):
    assert client.get("/api/v1/").json()["openapi"] == "/api/v1/openapi.json"
    assert_error(token_client.post("/api/v1/"), 405, "method_not_allowed")


def test_a_missing_object_is_404(token_client):
    error = assert_error(token_client.get("/api/v1/posts/999999"), 404, "not_found")
    assert "<" not in error["message"]


def test_invalid_query_parameters_are_422_with_the_field(token_client):
    error = assert_error(token_client.get("/api/v1/posts?limit=viele"), 422, "invalid_input")
    assert error["fields"][0]["field"] == "limit"
    assert error["fields"][0]["reason"]


def test_out_of_range_limit_is_422_with_the_field(token_client):
    for path in ["/api/v1/posts?limit=0", "/api/v1/pages?limit=1000", "/api/v1/people?limit=-1"]:
        assert assert_error(token_client.get(path), 422, "invalid_input")["fields"][0]["field"] == "limit"


def test_a_missing_body_field_is_422(write_client, general):
    error = assert_error(write_client.post("/api/v1/posts", {}, content_type="application/json"), 422, "invalid_input")
    assert [f["field"] for f in error["fields"]] == ["text"]


def test_a_broken_json_body_is_400(write_client, general):
    assert_error(write_client.post("/api/v1/posts", "{kaputt", content_type="application/json"), 400, "bad_request")


def test_a_rejected_write_is_400_with_field_and_reason_in_german(write_client, general):
    error = assert_error(
        write_client.post("/api/v1/posts", {"text": "   "}, content_type="application/json"), 400, "bad_request"
    )
    assert error["fields"] == [
        {"field": "text", "reason": "Bitte schreiben Sie etwas: Ein leerer Beitrag kann nicht veröffentlicht werden."}
    ]


def test_messages_follow_the_accept_language(client, db):
    english = client.get("/api/v1/posts", headers={"Accept-Language": "en"}).json()["error"]["message"]
    german = client.get("/api/v1/posts", headers={"Accept-Language": "de"}).json()["error"]["message"]
    assert english.startswith("Sign in") and german.startswith("Melden Sie sich an")


def test_a_crash_is_json_500_without_a_stack_trace(token_client, monkeypatch, caplog):
    from posts import queries

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(queries, "annotate_for_display", broken)
    response = token_client.get("/api/v1/posts")
    assert_error(response, 500, "server_error")
    assert "secret internal detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert "secret internal detail" in caplog.text  # but the operators see it in the log


@pytest.mark.parametrize(
    "path,status",
    [
        ("/api/v1/posts/99999999999999999999999", 404),
        ("/api/v1/pages/99999999999999999999999", 404),
        ("/api/v1/posts/0", 404),
        ("/api/v1/posts?before=99999999999999999999999", 422),
        ("/api/v1/people?offset=99999999999999999999999", 422),
        ("/api/v1/pages?offset=-1", 422),
        ("/api/v1/posts?since=0001-01-01T00:00:00%2B05:00", 422),
        ("/api/v1/posts?since=gestern", 422),
    ],
)
def test_out_of_range_input_is_a_clean_error_not_a_crash(token_client, path, status):
    response = token_client.get(path)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] in {"not_found", "invalid_input"}


def test_a_since_without_time_zone_means_local_time(token_client, general, user):
    from tests.api.conftest import post_in

    post_in(general, user, "Heute")
    assert len(token_client.get("/api/v1/posts?since=2020-01-01T00:00:00").json()["results"]) == 1
    # any offset works (PostgreSQL itself refuses offsets beyond ±15:59; found by schemathesis)
    assert len(token_client.get("/api/v1/posts?since=0059-05-10T22:20:27.93-16:56").json()["results"]) == 1


def test_a_reply_to_an_impossible_id_is_422(write_client, general):
    response = write_client.post(
        "/api/v1/posts", {"text": "Hallo", "reply_to": 99999999999999999999999}, content_type="application/json"
    )
    assert response.status_code == 422


# --- input no database can store, or too much of it (issue 13, point 7) ------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"text": "Hallo \\ud800 Welt"}', "text"),  # a lone surrogate: was 500 on both databases
        ('{"text": "Hallo \\u0000 Welt"}', "text"),  # NUL: stored on SQLite, 500 on PostgreSQL
        ('{"text": "Hallo", "channel": "allgemein\\u0000"}', "channel"),
        ('{"text": "Hallo", "channel": "\\udc00"}', "channel"),
    ],
)
def test_unstorable_characters_in_a_json_body_are_400_naming_the_field(write_client, general, body, field):
    from posts.models import Post

    error = assert_error(write_client.post("/api/v1/posts", body, content_type="application/json"), 400, "bad_request")
    assert [f["field"] for f in error["fields"]] == [field]
    assert "nicht gespeichert werden" in error["fields"][0]["reason"]
    assert not Post.objects.exists()


def test_a_reaction_with_a_lone_surrogate_is_400(write_client, general, user):
    from tests.api.conftest import post_in

    post = post_in(general, user, "Hallo")
    response = write_client.post(
        f"/api/v1/posts/{post.pk}/reactions", '{"kind": "\\ud800"}', content_type="application/json"
    )
    assert assert_error(response, 400, "bad_request")["fields"][0]["field"] == "kind"


def test_a_text_of_only_invisible_characters_is_400(write_client, general):
    from posts.models import Post

    body = '{"text": "\\u200b \\u200c\\ufeff\\u2060\\n"}'
    error = assert_error(write_client.post("/api/v1/posts", body, content_type="application/json"), 400, "bad_request")
    assert error["fields"][0]["field"] == "text" and "leerer Beitrag" in error["fields"][0]["reason"]
    assert not Post.objects.exists()


def test_a_body_over_the_limit_is_413_in_the_error_shape(write_client, general, settings):
    from posts.models import Post

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"text": "' + "a" * 2000 + '"}'
    error = assert_error(
        write_client.post("/api/v1/posts", body, content_type="application/json"), 413, "payload_too_large"
    )
    assert "Höchstens 1000\xa0Bytes" in error["message"]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/posts?channel=x%00",
        "/api/v1/posts?author=x%00",
        "/api/v1/search?q=Antrag%00",
        "/api/v1/search?q=a&department=x%00",
        "/api/v1/people/x%00",
    ],
)
def test_a_nul_in_the_url_is_400_naming_the_parameter(token_client, path):
    error = assert_error(token_client.get(path), 400, "bad_request")
    assert error["fields"] and "nicht gespeichert werden" in error["fields"][0]["reason"]


@pytest.mark.parametrize(
    "path",
    [
        "/beitraege/thema/x%00/",
        "/beitraege/person/x%00/",
        "/personen/?abteilung=x%00",
        "/beitraege/neue/?nach=1&scope=channel&channel=x%00",
    ],
)
def test_a_nul_in_a_page_url_is_400_not_500(user_client, path):
    response = user_client.get(path)
    assert response.status_code == 400
    assert "nicht gespeichert werden" in response.content.decode()
