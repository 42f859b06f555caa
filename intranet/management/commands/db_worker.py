"""manage.py db_worker: runs the queued background tasks (django-tasks-db's worker with retries
and the recovery of tasks whose worker was killed: intranet/worker.py). Same options as
django-tasks-db's command, which this one replaces (``intranet`` comes first in INSTALLED_APPS).

    manage.py db_worker              # runs until stopped (SIGTERM/SIGINT: finishes its task first)
    manage.py db_worker --batch      # runs what is due, then exits
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from intranet.worker import Worker


class Command(db_worker.Command):
    help = "Runs the background tasks queued in the database (retries failures, re-runs tasks of a killed worker)."

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        **options,
    ):
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
