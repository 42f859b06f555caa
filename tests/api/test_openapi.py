"""The OpenAPI 3 description, the docs page's protection (its content: test_docs_page.py), and a
property-based run of the whole schema with schemathesis: no 500s, and every answer matches the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import post_in, token_for

MAX_EXAMPLES = 25


def test_openapi_json_describes_every_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = {(path, method) for path, operations in schema["paths"].items() for method in operations}
    expected = {
        ("/api/v1/people", "get"),
        ("/api/v1/people/{username}", "get"),
        ("/api/v1/pages", "get"),
        ("/api/v1/pages/{page_id}", "get"),
        ("/api/v1/posts", "get"),
        ("/api/v1/posts", "post"),
        ("/api/v1/posts/{post_id}", "get"),
        ("/api/v1/posts/{post_id}/reactions", "post"),
    }
    assert expected <= paths
    schemes = schema["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert {"401", "403", "404", "422", "429"} <= set(operation["responses"])


def test_the_docs_page_is_for_signed_in_staff(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.fixture
def api_data(user, other_user, home_page):
    """Some content for the generated requests to find: posts with replies and a channel."""
    from posts import actions

    general = actions.general_channel()
    actions.channel_for_department(user.profile.department)
    first = post_in(general, other_user, "Willkommen #Start @anna.schmidt")
    post_in(general, user, "Danke!", parent=first)
    return token_for(user, "write")


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_db_connection():
    """Django's WSGI handler closes the database connection after each request, which would end
    the test's transaction (on PostgreSQL); the test client avoids that the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_whole_schema_holds(api_data, settings_override, keep_db_connection):
    """Every operation, a bounded number of generated requests each (about a minute in all),
    authenticated with a read+write token: no 500, status codes, content types and bodies as declared."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    statuses = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(headers={"Authorization": f"Bearer {api_data}"}, checks=CHECKS)
            statuses.append(response.status_code)

        run()
    assert len(statuses) >= len(operations) * 5
    assert {200, 422} <= set(statuses)  # valid and invalid input were both tried


@pytest.fixture
def settings_override(settings):
    settings.API_RATE_LIMIT = "100000/m"  # the run makes many requests; the limit itself is tested elsewhere
    settings.POSTS_RATE_LIMIT = (100000, 60)
