import pytest
from django.test import Client

from intranet import tokens
from tests.conftest import sign_in


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def token_for(user, scope="read", **kwargs) -> str:
    return tokens.create_token(user=user, name=f"{scope} token", scope=scope, **kwargs)[1]


@pytest.fixture
def read_token(user) -> str:
    return token_for(user, "read")


@pytest.fixture
def write_token(user) -> str:
    return token_for(user, "write")


@pytest.fixture
def token_client(read_token) -> Client:
    return Client(headers={"Authorization": f"Bearer {read_token}"})


@pytest.fixture
def write_client(write_token) -> Client:
    return Client(headers={"Authorization": f"Bearer {write_token}"})


@pytest.fixture
def csrf_client(user) -> Client:
    """A browser session that enforces CSRF like a real browser."""
    client = Client(enforce_csrf_checks=True)
    sign_in(client, user)
    return client


@pytest.fixture
def general(db):
    from posts import actions

    return actions.general_channel()


def post_in(channel, author, text="Hallo", **kwargs):
    from posts import actions

    return actions.create_post(author=author, channel=channel, text=text, check_limits=False, **kwargs)


@pytest.fixture
def database_for_threads(transactional_db, tmp_path):
    """A database that threads share as app servers do. PostgreSQL's test database is one; the
    SQLite test database lives in memory, shared through SQLite's shared cache, whose table locks
    fail at once instead of waiting ("database table is locked") - so for SQLite the test runs on
    a copy in a file, with the settings production has (WAL, busy timeout)."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory_name, memory_connection = connection.settings_dict["NAME"], connection.connection
    path = tmp_path / "db.sqlite3"
    target = sqlite3.connect(path)
    memory_connection.backup(target)
    target.close()
    connection.settings_dict["NAME"] = str(path)  # the handler's dict: threads open the file too
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"], connection.connection = memory_name, memory_connection
