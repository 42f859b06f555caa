"""Tests: fast password hashing, a local-memory cache, immediate tasks, mails kept in memory,
and a search index in a temporary folder per test process."""

import os
import tempfile

from .base import *
from .base import DOCUMENTS_STORAGE, WAGTAILSEARCH_BACKENDS

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
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
