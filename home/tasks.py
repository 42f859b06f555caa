"""Background tasks of pages (run by the worker, manage.py db_worker)."""

from django_tasks import task

from .actions import notify_review_due, purge_reading_confirmations, remind_reading


@task()
def send_review_reminders() -> dict:
    """The daily review reminders (home.actions.notify_review_due); queued by manage.py
    notify_review_due. Each owner's pages are marked once their mail is sent, so a retry mails
    only the owners not yet reached. The same run reminds staff of their mandatory reading
    (home.actions.remind_reading: an inbox item once per person and version, which the daily
    digest mails) and deletes confirmations past ACKNOWLEDGEMENT_RETENTION_DAYS."""
    result = notify_review_due()
    result["reading"] = remind_reading()
    result["purged"] = purge_reading_confirmations()
    return result


@task()
def purge_old_confirmations() -> dict:
    """Deletes who confirmed mandatory reading, and who was reminded, after
    ACKNOWLEDGEMENT_RETENTION_DAYS; queued by manage.py purge_reading_confirmations."""
    return purge_reading_confirmations()
