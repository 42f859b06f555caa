"""Settings of a real worker process a test starts (tests/intranet/test_worker_process.py): the
test settings with the database task backend, the database and folders of the test process that
started it (environment variables), and a heartbeat fast enough that a killed worker is noticed
within seconds."""

import os

from intranet.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DOCUMENTS_ROOT = os.environ["WORKER_TEST_DOCUMENTS_ROOT"]
MEDIA_ROOT = os.environ["WORKER_TEST_MEDIA_ROOT"]
TASKS_RETRY_DELAY = 0
TASKS_HEARTBEAT_INTERVAL = 0.2
TASKS_WORKER_LOST_AFTER = 1.5
