"""The worker as a real process (manage.py db_worker), on the test database shared with it: a task
whose worker is killed with SIGKILL runs again when another worker starts, and an uploaded
document gets its text from the worker and is found by a word inside it.

On SQLite the test database is in memory, which no other process can open: ``shared_database``
copies it to a file and points this process at that file for the test."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.documents import get_document_model

from documents import samples
from intranet.models import WorkerHeartbeat

from .worker_tasks import wait_for_release

ROOT = Path(__file__).resolve().parents[2]
#: how long a test waits for a worker to reach a state before failing (far above what it needs)
PATIENCE = 90


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The test database as a worker process can open it (``DATABASE_URL`` for it)."""
    db = connection.settings_dict
    if connection.vendor != "sqlite":
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    in_memory, name = connection.connection, db["NAME"]
    target = sqlite3.connect(path)
    in_memory.backup(target)
    target.close()
    # The in-memory database lives as long as a connection to it is open: keep this one aside.
    connection.connection = None
    db["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        db["NAME"] = name
        connection.connection = in_memory


@pytest.fixture
def start_worker(shared_database, settings, tmp_path):
    """Starts ``manage.py db_worker`` processes on the shared database; stops those still running."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    processes = []

    def start(worker_id: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.intranet.worker_settings",
            "DATABASE_URL": shared_database,
            "SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
            "WORKER_TEST_DOCUMENTS_ROOT": str(settings.DOCUMENTS_ROOT),
            "WORKER_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
        log = (tmp_path / f"worker-{worker_id}.log").open("w")
        process = subprocess.Popen(
            [*command, "--worker-id", worker_id], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=PATIENCE)


def wait_until(condition, what: str):
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.1)


def status_of(task_id) -> str:
    return DBTaskResult.objects.get(pk=task_id).status


def test_a_task_running_when_its_worker_is_killed_runs_again_when_a_worker_starts(start_worker, tmp_path):
    log, release = tmp_path / "runs.txt", tmp_path / "release"
    task_id = wait_for_release.enqueue(str(log), str(release)).id

    first = start_worker("erster")
    wait_until(lambda: log.exists() and log.read_text() == "started\n", "the first worker started the task")
    assert status_of(task_id) == TaskResultStatus.RUNNING
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=PATIENCE)
    release.touch()

    second = start_worker("zweiter")
    wait_until(lambda: status_of(task_id) == TaskResultStatus.SUCCESSFUL, "the second worker ran the task")

    assert log.read_text().splitlines() == ["started", "started", "finished"]
    assert DBTaskResult.objects.get(pk=task_id).worker_ids == ["erster", "zweiter"]
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=PATIENCE) == 0
    assert not WorkerHeartbeat.objects.exists()  # the killed one cleared by the other, which left


@pytest.mark.search_index
def test_an_uploaded_document_gets_its_text_from_the_worker_and_is_found_by_it(
    start_worker, root_collection, home_page, admin_client
):
    pdf = samples.pdf_bytes(["Die Streupflicht im Winter obliegt den Anliegern."])
    response = admin_client.post(
        reverse("wagtaildocs:add"), {"title": "Winterdienst", "file": SimpleUploadedFile("winter.pdf", pdf), "tags": ""}
    )
    assert response.status_code == 302
    document = get_document_model().objects.get(title="Winterdienst")
    assert "Text wird erkannt …" in admin_client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()

    start_worker("dokumente")
    wait_until(lambda: not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists(), "every task ran")

    assert "Text ausgelesen" in admin_client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()
    found = admin_client.get("/suche/", {"q": "Streupflicht"}).content.decode()
    assert "Winterdienst" in found


def test_a_worker_stopped_twice_mid_task_leaves_the_task_queued_not_failed(start_worker, tmp_path):
    log, release = tmp_path / "runs.txt", tmp_path / "release"
    task_id = wait_for_release.enqueue(str(log), str(release)).id
    worker = start_worker("ungeduldig")
    wait_until(lambda: log.exists() and log.read_text() == "started\n", "the worker started the task")

    worker.send_signal(signal.SIGTERM)  # the first waits for the task ...
    wait_until(lambda: "shutting down gracefully" in (tmp_path / "worker-ungeduldig.log").read_text(), "first signal")
    worker.send_signal(signal.SIGTERM)  # ... the second stops it now

    assert worker.wait(timeout=PATIENCE) == 1
    assert status_of(task_id) == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()
