"""Background tasks queued after the commit (django-tasks; docs/architecture.md, "Background tasks")."""

from django.core.management.base import CommandError
from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queues ``task`` with these (JSON) arguments once the current transaction commits (at once
    outside one): the worker then finds the rows the task reads, and a rolled-back write queues
    nothing. With the immediate backend (tests) the task runs right there, after the commit."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def enqueue_from_command(command, task, *, describe) -> None:
    """What a scheduled management command does (send_digest, notify_review_due): queue ``task``
    for the worker and say so. Where tasks run at once (the immediate backend), say what it did:
    ``describe(return_value)``; a failure there is a CommandError (exit status 1, for cron)."""
    result = task.enqueue()
    if not result.is_finished:
        command.stdout.write(f"Queued for the background worker: {task.name} (task {result.id}).")
    elif result.errors:
        raise CommandError(f"{task.name} failed: {result.errors[-1].exception_class_path}")
    else:
        command.stdout.write(describe(result.return_value))
