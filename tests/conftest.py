"""Fixtures in layers: client -> user -> user_client; editor/admin variants with MFA set up.

Every test gets a search index folder of its own (``_search_index_of_its_own``): nothing a test
indexed can turn up in another test, parallel workers (``pytest -n 2``) never share a folder, and
every write commits into a small index instead of one that grows over the whole run."""

import os
import shutil
import tempfile

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from people.models import Department, User

PASSWORD = "correct-horse-battery"


def make_user(username: str, *, department: Department | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@stadt.test",
        password=PASSWORD,
        first_name=extra.pop("first_name", username.split(".")[0].capitalize()),
        last_name=extra.pop("last_name", username.split(".")[-1].capitalize()),
        **extra,
    )
    if department is not None:  # create_user made the profile
        user.profile.department = department
        user.profile.save(update_fields=["department"])
    return user


def make_group_member(username: str, group: Group | str, *, department: Department | None = None, **extra) -> User:
    """A user in ``group`` (a group or its name, created if missing) with a TOTP authenticator,
    as editors are: the admin and editing need the second factor."""
    if isinstance(group, str):
        group, _ = Group.objects.get_or_create(name=group)
    user = make_user(username, department=department, **extra)
    user.groups.add(group)
    activate_totp(user)
    return user


def activate_totp(user: User) -> str:
    """Gives the user a TOTP authenticator, as if they had scanned the QR code; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows right now for this secret."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client: Client, user: User) -> Client:
    """Signs ``user`` in on ``client`` as allauth's sign-in does: the session records the password
    and, for a user with a second factor, the code (people.middleware asks for it otherwise)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.utils import is_mfa_enabled
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password")
    if is_mfa_enabled(user):
        record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client


def ensure_start_page():
    """The start page and the default site, as the data migration creates them.

    Transactional tests (browser tests against the live server) flush the database afterwards,
    which removes what migrations created; this puts the start page back."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("de"))
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            root = Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Startseite", slug="start"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Wissensnetz"}
    )
    return home


@pytest.fixture(autouse=True)
def _search_index_of_its_own(settings):
    """Points the Whoosh backend at an empty folder for this test (the database search backend
    keeps its index in the rolled-back test database and needs nothing)."""
    if "PATH" not in settings.WAGTAILSEARCH_BACKENDS.get("default", {}):
        yield None
        return
    path = tempfile.mkdtemp(prefix="wn-test-index-")
    backends = {name: dict(conf) for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()}
    backends["default"]["PATH"] = path
    settings.WAGTAILSEARCH_BACKENDS = backends
    settings.MODELSEARCH_BACKENDS = backends
    settings.SEARCH_INDEX_DIR = path
    yield path
    from search.whoosh import store as whoosh_store

    store = whoosh_store._stores.pop(os.path.abspath(path), None)  # one open index per test, not kept
    if store is not None:
        store.forget()
    shutil.rmtree(path, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """A fixture's index writes are applied together when it has set up (one commit of the Whoosh
    index per fixture, not one per page, post and person it saves): ``updates_batched``. The
    test itself writes as production does, one save at a time."""
    from search.indexing import updates_batched

    with updates_batched():
        return (yield)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith("tests/search/"):
            item.add_marker(pytest.mark.search_index)


@pytest.fixture(autouse=True)
def _index_updates_only_where_searched(request, _search_index_of_its_own, settings):
    """Saving an indexed object (page, post, profile, document) writes to the search index only in
    tests that search: those under tests/search/ and those marked ``search_index``. Elsewhere the
    writes are paused (``AUTO_UPDATE: False``, as ``search.indexing.per_object_updates_paused``
    sets it): a commit into the Whoosh index per saved object was the largest cost of tests that
    never search, and what they test does not depend on it. A test that searches without the
    marker finds nothing and fails, so a missing marker shows."""
    if request.node.get_closest_marker("search_index") is not None:
        return
    for name in ("WAGTAILSEARCH_BACKENDS", "MODELSEARCH_BACKENDS"):
        conf = getattr(settings, name, None)
        if conf:
            setattr(settings, name, {alias: {**backend, "AUTO_UPDATE": False} for alias, backend in conf.items()})


@pytest.fixture
def home_page(db):
    return ensure_start_page()


@pytest.fixture
def department(db) -> Department:
    return Department.objects.create(name="Bürgeramt", short_name="BA")


@pytest.fixture
def user(db, department) -> User:
    return make_user("anna.schmidt", department=department, first_name="Anna", last_name="Schmidt")


@pytest.fixture
def other_user(db, department) -> User:
    return make_user("mehmet.yilmaz", department=department, first_name="Mehmet", last_name="Yılmaz")


@pytest.fixture
def user_client(user) -> Client:
    return sign_in(Client(), user)


@pytest.fixture
def admin_user(db, department) -> User:
    user = make_user("ada.admin", department=department, is_staff=True, is_superuser=True)
    activate_totp(user)
    return user


@pytest.fixture
def admin_client(admin_user) -> Client:
    return sign_in(Client(), admin_user)


# --- background tasks in the database (the worker's backend) -----------------------------------
@pytest.fixture
def db_tasks(settings):
    """Tasks queued in the database as in production (the test settings run them at once), for a
    test that then runs the worker (``run_worker``). The worker's loggers keep their levels."""
    import logging

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_RETRY_DELAY = 0
    settings.TASKS_HEARTBEAT_INTERVAL = 3600  # the in-process worker's heartbeat thread stays idle
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    yield settings
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def root_collection(db):
    """Wagtail's root collection (a data migration makes it; a transactional test's flush removes it)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def run_worker() -> str:
    """Runs the worker in this process (``manage.py db_worker --batch``) until no task is due;
    returns what it printed. Needs ``db_tasks`` and a transactional test database."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=1, stdout=out)
    return out.getvalue()
