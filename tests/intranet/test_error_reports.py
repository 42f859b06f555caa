"""Errors reach an administrator: with ADMINS set (and DEBUG off, as in production), a server
error (500) and a failed background task are mailed to them (docs/deploy.md, "Errors")."""

import pytest
from django.core import mail
from django_tasks import task

from tests.intranet.test_settings import run_python

ADMINS = [("IT-Betrieb", "it-betrieb@stadt.test")]


@task()
def failing_task():
    raise RuntimeError("Aufgabe fehlgeschlagen")


def test_admins_come_from_the_environment():
    result = run_python(
        "from intranet.settings import base; print(base.ADMINS)",
        ADMINS="IT-Betrieb <it@stadt.test>, ops@stadt.test",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('IT-Betrieb', 'it@stadt.test'), ('', 'ops@stadt.test')]"


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins(user_client, settings):
    settings.ADMINS = ADMINS
    settings.ROOT_URLCONF = "tests.intranet.error_report_urls"
    user_client.raise_request_exception = False
    response = user_client.get("/test-absturz/")
    assert response.status_code == 500
    [report] = mail.outbox
    assert report.to == ["it-betrieb@stadt.test"]
    assert "/test-absturz/" in report.subject
    assert "Absturz im Test" in report.body


@pytest.mark.django_db
def test_a_failed_task_is_mailed_to_the_admins(settings):
    settings.ADMINS = ADMINS
    result = failing_task.enqueue()
    assert result.status == "FAILED"
    [report] = mail.outbox
    assert report.to == ["it-betrieb@stadt.test"]
    assert "failing_task" in report.body or "failing_task" in report.subject
    assert "Aufgabe fehlgeschlagen" in report.body


@pytest.mark.django_db
def test_without_admins_nothing_is_mailed(user_client, settings):
    settings.ADMINS = []
    settings.ROOT_URLCONF = "tests.intranet.error_report_urls"
    user_client.raise_request_exception = False
    assert user_client.get("/test-absturz/").status_code == 500
    failing_task.enqueue()
    assert mail.outbox == []
