"""Background tasks of pages (run by the worker, manage.py db_worker)."""

from django_tasks import task

from .actions import notify_review_due


@task()
def send_review_reminders() -> dict:
    """The daily review reminders (home.actions.notify_review_due); queued by manage.py
    notify_review_due. Each owner's pages are marked once their mail is sent, so a retry mails
    only the owners not yet reached."""
    return notify_review_due()
