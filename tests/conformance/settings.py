"""Settings for modelsearch's shared backend suite (``BackendTests``) against our Whoosh
backend, with modelsearch's own SQLite backend as the peer in the same run.

Independent of the project's settings: only modelsearch's test app and what it needs.
Run with ``pytest -c tests/conformance/pytest.ini`` (see that file). The suite's fixture
``search.json`` is not in the modelsearch wheel; it lives in ``../shared/conformance`` next to
the repository. Without that folder the tests skip and say so.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
CONFORMANCE_FIXTURE_DIR = BASE_DIR.parent / "shared" / "conformance"
FIXTURE_DIRS = [CONFORMANCE_FIXTURE_DIR] if CONFORMANCE_FIXTURE_DIR.is_dir() else []

SECRET_KEY = "conformance-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "testserver"]

INSTALLED_APPS = [
    "modelsearch.test.testapp",
    "modelsearch",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "modelsearch.test.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# SQLite in memory by default; DATABASE_URL=postgres://postgres@127.0.0.1:5432/wn_search runs
# the suite on PostgreSQL (test database "test_wn_search").
DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR") or tempfile.mkdtemp(prefix="wn-conformance-index-")
MODELSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.whoosh", "PATH": SEARCH_INDEX_DIR},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # our PostgreSQL engine, beside modelsearch's own PostgreSQL backend (the peer)
    MODELSEARCH_BACKENDS["postgres_engine"] = {"BACKEND": "search.postgres"}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
