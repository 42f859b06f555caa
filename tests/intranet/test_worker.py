"""The worker (manage.py db_worker, intranet/worker.py) in this process: retries with a limit,
one mail to the administrators for a task given up, tasks of a lost worker queued again, and the
admin's report of failed tasks. A real worker process killed with SIGKILL:
test_worker_process.py."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from intranet.models import WorkerHeartbeat
from intranet.worker import requeue_lost_tasks
from tests.conftest import run_worker

from .worker_tasks import always_fails, fails_once, wait_for_release

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admins(db_tasks):
    db_tasks.ADMINS = [("IT-Betrieb", "it@stadt.test")]
    return db_tasks


def test_a_failing_task_runs_three_times_then_is_mailed_once_and_reported_to_administrators_only(
    admins, tmp_path, admin_client, user_client
):
    log = tmp_path / "runs.txt"
    result = always_fails.enqueue(str(log))

    run_worker()

    assert log.read_text().splitlines() == ["run", "run", "run"]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert "Versuch 3" in row.traceback
    assert len(mail.outbox) == 1
    assert "always_fails" in mail.outbox[0].subject and mail.outbox[0].to == ["it@stadt.test"]
    # Berichte -> Hintergrundaufgaben
    report = admin_client.get(reverse("background_tasks")).content.decode()
    assert "Hintergrundaufgaben" in report
    assert "always_fails" in report and "Fachverfahren nicht erreichbar (Versuch 3)" in report
    assert "Kein Hintergrunddienst läuft" in report  # the worker above has stopped
    denied = user_client.get(reverse("background_tasks"))
    assert denied.status_code in (302, 403) and "always_fails" not in denied.content.decode()


def test_a_task_that_fails_once_succeeds_on_its_retry_and_nobody_is_mailed(admins, tmp_path):
    log = tmp_path / "runs.txt"
    result = fails_once.enqueue(str(log))

    run_worker()

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value, len(row.worker_ids)) == (TaskResultStatus.SUCCESSFUL, 2, 2)
    assert mail.outbox == []


def test_a_retry_waits_before_it_runs_again(admins, tmp_path):
    admins.TASKS_RETRY_DELAY = 600
    log = tmp_path / "runs.txt"
    result = always_fails.enqueue(str(log))

    run_worker()  # runs what is due: the first attempt, not the retry ten minutes later

    row = DBTaskResult.objects.get(pk=result.id)
    assert log.read_text().splitlines() == ["run"]
    assert row.status == TaskResultStatus.READY and row.run_after > timezone.now()
    assert "ConnectionError" not in row.exception_class_path and "RuntimeError" in row.exception_class_path


def _running(tmp_path, *, worker_ids, started_ago):
    result = wait_for_release.enqueue(str(tmp_path / "log"), str(tmp_path / "release"))
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids, started_at=timezone.now() - started_ago
    )
    return result.id


def test_tasks_of_a_lost_worker_are_queued_again_and_those_of_a_live_one_are_left(admins, tmp_path):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="lebt", seen_at=now)
    WorkerHeartbeat.objects.create(worker_id="tot", seen_at=now - timedelta(minutes=10))
    of_live_worker = _running(tmp_path, worker_ids=["lebt"], started_ago=timedelta(hours=1))
    of_lost_worker = _running(tmp_path, worker_ids=["tot"], started_ago=timedelta(minutes=11))
    just_claimed = _running(tmp_path, worker_ids=["neu"], started_ago=timedelta(0))
    third_attempt = _running(tmp_path, worker_ids=["a", "b", "tot"], started_ago=timedelta(minutes=11))

    assert requeue_lost_tasks() == 2

    status = {str(pk): value for pk, value in DBTaskResult.objects.values_list("id", "status")}
    assert status[of_live_worker] == TaskResultStatus.RUNNING
    assert status[of_lost_worker] == TaskResultStatus.READY
    assert status[just_claimed] == TaskResultStatus.RUNNING  # its worker may not have beaten yet
    assert status[third_attempt] == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(pk=third_attempt).exception_class_path == "intranet.worker.WorkerLost"
    assert len(mail.outbox) == 1 and "given up" in mail.outbox[0].subject
    assert not WorkerHeartbeat.objects.filter(worker_id="tot").exists()
    assert requeue_lost_tasks() == 0  # a second worker looking at the same time finds nothing
