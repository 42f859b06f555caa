"""The background worker: django-tasks-db's worker (``manage.py db_worker``, which
``intranet/management/commands/db_worker.py`` replaces with this one) plus two things it lacks.

**Retries.** A task that raises is queued again (``run_after``) after TASKS_RETRY_DELAY seconds,
the next time after four times as long, until it has run TASKS_MAX_ATTEMPTS times; then it stays
FAILED. Only then does django-tasks log it at ERROR (so ADMINS get one mail per task, not one per
attempt); the attempts before are logged at WARNING. The last error stays on the row, so the
Wagtail admin's "Hintergrundaufgaben" report (``intranet/task_views.py``) shows why.

**Nothing lost with a killed worker.** Every worker keeps a heartbeat row (``WorkerHeartbeat``):
written before it takes its first task and then every TASKS_HEARTBEAT_INTERVAL seconds by a thread
of its own (also while a long task runs), deleted when it stops. Every worker, when it starts and
with every heartbeat, looks for tasks still RUNNING under a worker whose heartbeat is older than
TASKS_WORKER_LOST_AFTER seconds (or gone): their worker died (``kill -9``, out of memory, power
cut). Such a task is queued again; that run counts as an attempt, so a task that kills its worker
every time ends FAILED like any other (``WorkerLost``).

A task may thus run more than once: every task of this project is written to be run again
(it reads its objects afresh and writes what they should be).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import get_exception_traceback, get_module_path
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Stored as the error of a task whose worker stopped while running it, on its last attempt."""


def max_attempts() -> int:
    return max(1, int(settings.TASKS_MAX_ATTEMPTS))


def retry_delay(attempt: int) -> timedelta:
    """How long a task waits after its failed ``attempt`` (1, 2, ...): the delay, then 4x as long."""
    return timedelta(seconds=float(settings.TASKS_RETRY_DELAY) * 4 ** (attempt - 1))


def attempts(result: DBTaskResult) -> int:
    """How often the task was taken by a worker (each run adds the worker's id)."""
    return len(result.worker_ids or [])


def beat(worker_id: str) -> None:
    """This worker is alive."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})


def requeue_lost_tasks(*, now=None) -> int:
    """Queues again (or, after the last attempt, fails) every task RUNNING under a worker that
    is no longer seen. Safe to call from several workers at once: a row is changed only if it is
    still the run that was found (same status and ``started_at``). Returns how many it changed."""
    now = now or timezone.now()
    lost_after = timedelta(seconds=float(settings.TASKS_WORKER_LOST_AFTER))
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - lost_after).values_list("worker_id", flat=True))
    changed = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=now - lost_after):
        worker_id = (result.worker_ids or ["?"])[-1]
        if worker_id in alive:
            continue
        same_run = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        attempt = attempts(result)
        reason = f"The worker {worker_id} stopped while running this task (attempt {attempt} of {max_attempts()})."
        if attempt >= max_attempts():
            done = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=get_module_path(WorkerLost),
                traceback=f"{get_module_path(WorkerLost)}: {reason}",
            )
            if done:
                logger.error("Task id=%s path=%s given up: %s", result.pk, result.task_path, reason)
        else:
            done = same_run.update(status=TaskResultStatus.READY, run_after=now)
            if done:
                logger.warning("Task id=%s path=%s queued again: %s", result.pk, result.task_path, reason)
        changed += done
    WorkerHeartbeat.objects.filter(seen_at__lt=now - lost_after).delete()
    return changed


class Heartbeat(threading.Thread):
    """Beats (and looks for lost tasks) every TASKS_HEARTBEAT_INTERVAL seconds, with a database
    connection of its own, until stopped."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(float(settings.TASKS_HEARTBEAT_INTERVAL)):
                try:
                    beat(self.worker_id)
                    requeue_lost_tasks()
                except DatabaseError:
                    logger.warning("Heartbeat of worker %s not written", self.worker_id, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class Worker(DatabaseWorker):
    def run(self) -> None:
        beat(self.worker_id)
        requeue_lost_tasks()
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """django-tasks-db's ``run_task``, except that a failure before the last attempt queues the
        task again instead of marking it FAILED."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend = task.get_backend()
            task_started.send(sender=type(backend), task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=type(backend), task_result=db_task_result.task_result)
        except (ImportError, SuspiciousOperation) as exc:
            # the task's code is gone or the row names no task: no retry helps
            db_task_result.set_failed(exc)
            logger.exception("Task id=%s path=%s cannot run", db_task_result.pk, db_task_result.task_path)
        except (KeyboardInterrupt, SystemExit):
            # told to stop at once (a second signal): the task is not at fault; it runs again on
            # the next worker
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY, run_after=timezone.now()
            )
            logger.warning("Task id=%s path=%s interrupted, queued again", db_task_result.pk, db_task_result.task_path)
            raise
        except BaseException as exc:
            attempt = attempts(db_task_result)
            if attempt < max_attempts():
                self.queue_again(db_task_result, exc, attempt)
            else:
                db_task_result.set_failed(exc)
                task_finished.send(
                    sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
                )
        finally:
            self.running_task = False
            self._run_tasks += 1

    @staticmethod
    def queue_again(db_task_result: DBTaskResult, exc: BaseException, attempt: int) -> None:
        delay = retry_delay(attempt)
        DBTaskResult.objects.filter(pk=db_task_result.pk).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now() + delay,
            exception_class_path=get_module_path(type(exc)),
            traceback=get_exception_traceback(exc),
        )
        logger.warning(
            "Task id=%s path=%s failed (attempt %d of %d), runs again in %d s: %s: %s",
            db_task_result.pk, db_task_result.task_path, attempt, max_attempts(),
            delay.total_seconds(), type(exc).__name__, exc,
        )  # fmt: skip
