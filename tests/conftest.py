"""Fixtures in layers: client -> user -> user_client; editor/admin variants with MFA set up."""

import pytest
from django.test import Client

from people.models import Department, Profile, User

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
    Profile.objects.create(user=user, department=department)
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
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_user(db, department) -> User:
    user = make_user("ada.admin", department=department, is_staff=True, is_superuser=True)
    activate_totp(user)
    return user


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client
