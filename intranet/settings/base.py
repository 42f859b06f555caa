"""Settings shared by every environment. Everything that differs per installation is read from
environment variables (see docs/deploy.md for the full list); the defaults are safe for
development and never used by production.py where that would be unsafe."""

import os
import re
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_file_mode(name: str, default: int) -> int:
    """An octal file mode (``0640``, ``644``, ``0o644``): no execute bits, writable by the owner only."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    digits = value.removeprefix("0o")
    if not re.fullmatch(r"0?[0-7]{3}", digits) or int(digits, 8) & 0o133:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"{name} must be an octal file mode such as 0640 or 0644 (no execute bits, writable by the "
            f"owner only), not {value!r}"
        )
    return int(digits, 8)


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_ID = 1

INSTALLED_APPS = [
    # our apps first, so their templates override allauth's and Wagtail's
    "intranet",
    "home",
    "posts",
    "feedback",
    "search",
    "people",
    "documents",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    # sign-in
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "people.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a NUL in the path or query string answers 400 (it crashed PostgreSQL queries: 500)
    "intranet.validators.RejectUnstorableInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "intranet.middleware.SitePolicyCSPMiddleware",
    "intranet.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "intranet.urls"
WSGI_APPLICATION = "intranet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "intranet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "intranet.context_processors.site",
                "posts.context_processors.notices",
                "home.context_processors.reading",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one process writes; a busy timeout instead of
    # "database is locked" when several workers write at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Memory per sort or hash of a query before it spills to disk. The search statement sorts and
    # groups every match: at 1M documents a frequent word's 225k matches spilled with the server's
    # default (4MB) and took 25 % longer (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c work_mem={os.environ.get('DB_WORK_MEM', '32MB')}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    # Sessions are read from Redis and written through to the database: a Redis restart (it
    # may keep nothing on disk) signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without Redis the cache is shared between worker processes through the database, so
    # rate limits hold across gunicorn workers. `manage.py createcachetable` makes the table.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "intranet_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Users and sign-in (django-allauth) -------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
# How allauth names a person ("Angemeldet als Anna Schmidt."): User.__str__, the full name (the
# user name only when there is none), not the technical user name.
ACCOUNT_USER_DISPLAY = "builtins.str"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # addresses come from the administration, not from sign-up
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so operators see them: failed logins per IP and per
    # account, and password-reset mails.
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_FORMS = {"change_password": "people.forms.ChangePasswordForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Wissensnetz] "
# Behind a reverse proxy every request comes from the proxy's address: allauth's limits on failed
# sign-ins then take the client's address from X-Forwarded-For, trusting as many proxies as set here
# (1 behind one nginx; 0 when the site is reached directly), or from one header the proxy sets
# (e.g. X-Real-IP). Failed sign-ins also count per account ("key" above), whatever the address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Mandatory reading (Pflichtlektüre, docs/wiki.md): who confirmed what is kept this many days, then
# deleted by manage.py purge_reading_confirmations (daily); the counts per department stay.
ACKNOWLEDGEMENT_RETENTION_DAYS = int(os.environ.get("ACKNOWLEDGEMENT_RETENTION_DAYS", "365"))

MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Wissensnetz")
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False

# Single sign-on with OpenID Connect (Keycloak, Entra ID, ...), configured by the environment.
OIDC_SERVER_URL = os.environ.get("OIDC_SERVER_URL", "")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": os.environ.get("OIDC_PROVIDER_ID", "sso"),
                "name": os.environ.get("OIDC_PROVIDER_NAME", "Single Sign-on"),
                "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }

# Which claims of the identity provider fill the profile (people.sso). Fields filled from claims
# are read-only for staff in their profile form; every later sign-in updates them.
OIDC_CLAIMS = {
    "first_name": os.environ.get("OIDC_FIRST_NAME_CLAIM", "given_name"),
    "last_name": os.environ.get("OIDC_LAST_NAME_CLAIM", "family_name"),
    "email": os.environ.get("OIDC_EMAIL_CLAIM", "email"),
    "department": os.environ.get("OIDC_DEPARTMENT_CLAIM", "department"),
    "job_title": os.environ.get("OIDC_JOB_TITLE_CLAIM", "job_title"),
    "phone": os.environ.get("OIDC_PHONE_CLAIM", "phone_number"),
}
# Extra scopes to ask for (e.g. "department" when the provider only sends it with that scope).
OIDC_EXTRA_SCOPES = env_list("OIDC_EXTRA_SCOPES")
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["SCOPE"] = ["openid", "profile", "email", *OIDC_EXTRA_SCOPES]

# Single sign-on and the directory sync agree on a person by e-mail and, when the provider sends
# it, by the directory's immutable id (objectGUID/entryUUID, e.g. Keycloak's "LDAP_ID" mapper or
# Entra ID's "onPremisesImmutableId"): the claim named here (empty: e-mail only).
OIDC_DIRECTORY_ID_CLAIM = os.environ.get("OIDC_DIRECTORY_ID_CLAIM", "")

# Directory sync from LDAP / Active Directory (manage.py sync_directory; people/ldap.py,
# docs/deploy.md "Directory sync (LDAP/AD)"). LDAP_SCHEMA picks the attribute names of Active
# Directory ("ad") or OpenLDAP ("openldap"); LDAP_ATTR_<FIELD> overrides one (an empty value
# leaves that field to the person). The password is read from a file when the sync runs.
LDAP_DIRECTORY = {
    "url": os.environ.get("LDAP_URL", ""),
    "start_tls": env_bool("LDAP_START_TLS"),
    "ca_file": os.environ.get("LDAP_CA_FILE", ""),
    "bind_dn": os.environ.get("LDAP_BIND_DN", ""),
    "bind_password_file": os.environ.get("LDAP_BIND_PASSWORD_FILE", ""),
    "schema": os.environ.get("LDAP_SCHEMA", "openldap"),
    "people_base": os.environ.get("LDAP_PEOPLE_BASE", ""),
    "people_filter": os.environ.get("LDAP_PEOPLE_FILTER", ""),
    "units_base": os.environ.get("LDAP_UNITS_BASE", ""),
    "units_filter": os.environ.get("LDAP_UNITS_FILTER", ""),
    "disabled_filter": os.environ.get("LDAP_DISABLED_FILTER", ""),
    "page_size": int(os.environ.get("LDAP_PAGE_SIZE", "500")),
    "timeout": int(os.environ.get("LDAP_TIMEOUT", "10")),
    "attributes": {
        key[len("LDAP_ATTR_") :].lower(): value.strip()
        for key, value in os.environ.items()
        if key.startswith("LDAP_ATTR_")
    },
}

# GDPR erase: "keep" leaves an erased person's posts under "ehemalige/r Mitarbeiter/in",
# "delete" removes them with the account.
ERASED_USER_POSTS = os.environ.get("ERASED_USER_POSTS", "keep")
if ERASED_USER_POSTS not in {"keep", "delete"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("ERASED_USER_POSTS must be 'keep' or 'delete'")

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "intranet" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "wn_language"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "intranet" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files of Wagtail documents: outside MEDIA_ROOT, so no web-server rule for /media/ can publish
# them; only Wagtail's permission-checked view (/dokumente/...) sends them (documents/storage.py).
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT", VAR_DIR / "private-documents"))
DOCUMENTS_STORAGE = {"BACKEND": "documents.storage.PrivateDocumentStorage"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "documents": DOCUMENTS_STORAGE,
}
# Uploaded media (images, renditions, photos, attachments): readable by the application's user and
# group. A web server that serves /media/ under another user and group (compose's nginx) needs
# 0644; document files stay 0640 whatever this says (documents/storage.py).
FILE_UPLOAD_PERMISSIONS = env_file_mode("FILE_UPLOAD_PERMISSIONS", 0o640)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Wissensnetz <wissensnetz@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who hears of errors: a server error (500) and a failed background task are mailed to them
# (DEBUG off). "IT-Betrieb <it@stadt.example>, ops@stadt.example"; empty: nobody is mailed, the
# errors are still logged.
ADMINS = [(name, address) for name, address in getaddresses([os.environ.get("ADMINS", "")]) if address]

# --- Wagtail and search -----------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "Wissensnetz")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
# Passwords are set, changed and reset in allauth's pages only (/konto/), which limit guessing;
# Wagtail's own password forms are switched off and their URLs lead there (intranet/urls.py).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Pages and documents are restricted to signed-in staff or to groups, never by a shared password.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"password": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"password": False}
# No avatar images from an outside service (the intranet loads nothing from outside).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_I18N_ENABLED = False
# Wagtail's document with the text of its file, for search (documents/models.py).
WAGTAILDOCS_DOCUMENT_MODEL = "documents.IntranetDocument"
# Documents are streamed by Wagtail's view after its permission check, never redirected to.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "xls", "ods", "pptx", "txt", "csv", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search-index"))
# The search backend is chosen here, never in code (docs/deploy.md, "Scaling out"):
# whoosh (default) | opensearch | elasticsearch (Wagtail's backends; their client library,
# opensearch-py or elasticsearch, is installed by the operator) | anything else, e.g. postgres:
# Wagtail's database backend (PostgreSQL full-text search on PostgreSQL, FTS5 on SQLite).
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "whoosh")
SEARCH_ENGINES = {
    "opensearch": "wagtail.search.backends.opensearch3",
    "elasticsearch": "wagtail.search.backends.elasticsearch9",
}
if SEARCH_BACKEND == "whoosh":
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.whoosh",
            "PATH": str(SEARCH_INDEX_DIR),
        }
    }
elif SEARCH_BACKEND in SEARCH_ENGINES:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": SEARCH_ENGINES[SEARCH_BACKEND],
            "URLS": [url.strip() for url in os.environ.get("SEARCH_URLS", "").split(",") if url.strip()]
            or ["http://localhost:9200"],
            "INDEX_PREFIX": os.environ.get("SEARCH_INDEX_PREFIX", "wissensnetz_"),
        }
    }
elif SEARCH_BACKEND == "postgres":
    # The scaled shape: our PostgreSQL engine (German lexemes, pg_trgm typos, one ranked query)
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.postgres"}}
else:
    # Wagtail's generic database backend (PostgreSQL full text with the server's configuration,
    # SQLite FTS5), tags loaded per chunk: SEARCH_BACKEND=database. Not the scaled shape.
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.database"}}
MODELSEARCH_BACKENDS = WAGTAILSEARCH_BACKENDS
# The PostgreSQL engine counts the matches of a search exactly up to SEARCH_EXACT_COUNT_LIMIT
# (0: always). A search with more (a frequent word among a million posts) ranks only the best
# SEARCH_RANK_CANDIDATES matches, taken from the RUM index (extension "rum", migration
# search.0008), and says "mehr als 10.000 Treffer"; its facets count those candidates. Without
# the extension every match is ranked and counted. docs/architecture.md, "Search".
SEARCH_EXACT_COUNT_LIMIT = int(os.environ.get("SEARCH_EXACT_COUNT_LIMIT", "10000"))
SEARCH_RANK_CANDIDATES = int(os.environ.get("SEARCH_RANK_CANDIDATES", "1000"))

# Background tasks (django-tasks): text extraction of uploaded documents, search-index updates,
# notification fan-out, the daily digest and review reminders. The default queues them in the
# database (django-tasks-db), where the worker takes them: `manage.py db_worker` (intranet/worker.py:
# retries, tasks of a killed worker run again). TASKS_BACKEND=django_tasks.backends.immediate.
# ImmediateBackend runs each task at once inside the request or command instead (no worker).
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A task that raises is run again after TASKS_RETRY_DELAY seconds, then 4x as long, ..., up to
# TASKS_MAX_ATTEMPTS runs in all; then it stays failed (Wagtail admin: Berichte ->
# Hintergrundaufgaben; a mail to ADMINS). A worker that stops seeing itself (killed, power cut)
# leaves a heartbeat older than TASKS_WORKER_LOST_AFTER seconds: its running task is queued again.
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "3"))
TASKS_RETRY_DELAY = float(os.environ.get("TASKS_RETRY_DELAY", "30"))
TASKS_HEARTBEAT_INTERVAL = float(os.environ.get("TASKS_HEARTBEAT_INTERVAL", "10"))
TASKS_WORKER_LOST_AFTER = float(os.environ.get("TASKS_WORKER_LOST_AFTER", "60"))

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views allow their own same-origin frame
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

OIDC_ORIGIN = "/".join(OIDC_SERVER_URL.split("/")[:3]) if OIDC_SERVER_URL else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Wagtail's admin uses inline styles; the public site itself does not need them.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [SELF],
        # The SSO button posts to our own URL, which redirects to the identity provider;
        # browsers check that redirect against form-action too.
        "form-action": [SELF, *([OIDC_ORIGIN] if OIDC_ORIGIN else [])],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Wagtail's admin (intranet.middleware.SitePolicyCSPMiddleware): Wagtail still needs inline scripts
# and styles there; everything else stays as strict as on the site.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "frame-src": [SELF],  # the page preview
        "frame-ancestors": [SELF],
    },
}
# Browser features no page of the intranet uses (intranet.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY_DENIED_FEATURES = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "browsing-topics",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # ERROR records to ADMINS by e-mail (nothing is sent while ADMINS is empty)
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # a 500: the traceback to the log and to ADMINS
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        # django-tasks logs every task's start and end at INFO (two lines per index update), a
        # failed task at ERROR: to the log and to ADMINS.
        "django_tasks": {"handlers": ["mail_admins"], "level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
        # the worker (manage.py db_worker): a retry at WARNING, a task given up at ERROR (to ADMINS)
        "django_tasks_db": {"handlers": ["mail_admins"], "level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
        "intranet.worker": {"handlers": ["mail_admins"], "level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
    },
}

# --- Wissensnetz ------------------------------------------------------------------------------
# Accounts that any demo or test data creates get this domain.
WISSENSNETZ_EMAIL_DOMAIN = os.environ.get("EMAIL_DOMAIN", "stadt-musterstadt.de")

# Rate limits: API requests per user (token or session) and window; new posts per user.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m")
POSTS_RATE_LIMIT = (
    int(os.environ.get("POSTS_RATE_LIMIT_COUNT", "5")),
    int(os.environ.get("POSTS_RATE_LIMIT_SECONDS", "60")),
)
