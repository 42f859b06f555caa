import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command


@pytest.fixture
def search_index(db):
    """A built search index, as `make run` and every deployment create it."""
    call_command("update_index", stdout=StringIO())


def test_healthz_reports_database_and_search_index(client, search_index):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["search_index"]["ok"] is True


@pytest.mark.django_db
def test_healthz_names_the_failing_part_with_503(client):
    with mock.patch("intranet.views.check_search_index", return_value=(False, "index missing")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["checks"]["search_index"] == {"ok": False, "detail": "index missing"}
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_database(client):
    with mock.patch("intranet.views.connection") as connection:
        connection.cursor.side_effect = RuntimeError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"]["ok"] is False


@pytest.mark.django_db
def test_healthz_needs_no_sign_in_but_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
