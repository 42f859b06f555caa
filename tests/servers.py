"""Helpers for tests that start real servers (gunicorn, nginx) in processes of their own."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
import urllib.parse
from pathlib import Path

import pytest


@contextlib.contextmanager
def shared_database():
    """The database URL the server gets; the test process uses the same database meanwhile."""
    from django.db import connection

    vendor = connection.vendor
    if vendor == "postgresql":
        s = connection.settings_dict
        auth = urllib.parse.quote(s["USER"] or "") + (":" + urllib.parse.quote(s["PASSWORD"]) if s["PASSWORD"] else "")
        yield f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        return
    if vendor != "sqlite":
        pytest.skip(f"no shared test database for {vendor}")
    connection.ensure_connection()
    memory_settings, memory_connection = connection.settings_dict, connection.connection
    if not connection.is_in_memory_db():
        yield f"sqlite:///{memory_settings['NAME']}"
        return
    path = Path(tempfile.mkdtemp(prefix="wn-shared-db-")) / "db.sqlite3"
    target = sqlite3.connect(path)
    memory_connection.backup(target)
    target.close()
    connection.connection = None  # the next query opens the file
    connection.settings_dict = {**memory_settings, "NAME": str(path)}
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict, connection.connection = memory_settings, memory_connection
        shutil.rmtree(path.parent, ignore_errors=True)
