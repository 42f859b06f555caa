"""Tests: fast password hashing, a local-memory cache (Redis when REDIS_URL is set), immediate tasks, mails kept in memory,
and a search index in a temporary folder per test process."""

import os
import tempfile

from .base import *
from .base import CACHES, DOCUMENTS_STORAGE, REDIS_URL, WAGTAILSEARCH_BACKENDS

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if REDIS_URL:
    # The scaled shape's cache on the machine's Redis (one CI stage sets REDIS_URL); a prefix of
    # this process's own, so parallel test processes and runs never share keys.
    CACHES["default"]["KEY_PREFIX"] = f"wn-test-{os.getpid()}-{os.urandom(4).hex()}"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database: the query counts the tests assert include reading the session. The
# sessions of the Redis shape (cached_db: a Redis restart signs nobody out) have their own test,
# tests/people/test_sessions.py, against the real Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": DOCUMENTS_STORAGE,
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="wn-test-media-")
DOCUMENTS_ROOT = tempfile.mkdtemp(prefix="wn-test-documents-")
SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR") or tempfile.mkdtemp(prefix="wn-test-index-")
if "PATH" in WAGTAILSEARCH_BACKENDS["default"]:
    WAGTAILSEARCH_BACKENDS["default"]["PATH"] = str(SEARCH_INDEX_DIR)
# Serve static files straight from the app folders (no collectstatic needed here).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
