"""Every account has a profile from the moment it exists, so every member of staff is in the
directory (/personen/) and under /api/v1/people/<username> at once, however the account was
made: Wagtail's admin, `createsuperuser`, single sign-on (tests/people/test_sso.py), and the
accounts from before (migration people 0005)."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client

from intranet import tokens
from people.models import Profile, User
from tests.api.conftest import token_for

ADD_USER = "/admin/users/new/"


def new_account_form(**changes) -> dict:
    form = {
        "username": "lena.koehler",
        "email": "lena.koehler@stadt.test",
        "first_name": "Lena",
        "last_name": "Köhler",
        "password1": "ein-langes-Passwort-42",
        "password2": "ein-langes-Passwort-42",
    }
    form.update(changes)
    return form


def in_directory(client: Client, q: str) -> list[str]:
    """The names the directory page lists for a search."""
    page = client.get("/personen/", {"q": q}).content.decode()
    return [name for name in ("Lena Köhler", "Karl Kurz", "Rita Root") if name in page]


@pytest.mark.django_db
def test_an_account_made_in_the_admin_is_in_the_directory_and_the_api_at_once(admin_client, user, user_client):
    response = admin_client.post(ADD_USER, new_account_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert in_directory(user_client, "koehler") == ["Lena Köhler"]
    api = Client(headers={"Authorization": f"Bearer {token_for(user)}"})
    body = api.get("/api/v1/people/lena.koehler").json()
    assert body["username"] == "lena.koehler" and body["last_name"] == "Köhler"


@pytest.mark.django_db
def test_an_account_the_admin_refuses_leaves_no_profile_behind(admin_client, user, user_client):
    response = admin_client.post(ADD_USER, new_account_form(email=user.email))  # the address is taken
    assert response.status_code == 200
    assert "lena.koehler" not in set(User.objects.values_list("username", flat=True))
    assert Profile.objects.count() == User.objects.count() == 2  # the admin and the user
    assert in_directory(user_client, "koehler") == []


@pytest.mark.django_db
def test_createsuperuser_makes_a_profile(user_client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "ein-langes-Passwort-42")
    call_command(
        "createsuperuser",
        "--noinput",
        username="rita.root",
        email="rita.root@stadt.test",
        stdout=open("/dev/null", "w"),
    )
    rita = User.objects.get(username="rita.root")
    rita.first_name, rita.last_name = "Rita", "Root"
    rita.save()
    assert Profile.objects.filter(user=rita).exists()
    assert in_directory(user_client, "root") == ["Rita Root"]
    assert user_client.get("/personen/rita.root/").status_code == 200


@pytest.mark.django_db
def test_createsuperuser_with_bad_input_makes_neither_account_nor_profile(monkeypatch):
    from django.core.management import CommandError

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "ein-langes-Passwort-42")
    with pytest.raises(CommandError):
        call_command("createsuperuser", "--noinput", username="rita.root", stdout=open("/dev/null", "w"))  # no e-mail
    assert not User.objects.filter(username="rita.root").exists()
    assert not Profile.objects.exists()


def create_missing_profiles():
    migration = importlib.import_module("people.migrations.0005_profile_for_every_account")
    # What the function uses of the schema editor is its connection.
    migration.create_missing_profiles(apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_the_migration_gives_older_accounts_a_profile_but_not_service_accounts(user, user_client):
    # Accounts from before: saved without a profile, as every way but the form made them then.
    User(username="karl.kurz", email="karl.kurz@stadt.test", first_name="Karl", last_name="Kurz").save()
    User(username="lena.koehler", email="lena@stadt.test", first_name="Lena", last_name="Köhler").save()
    machine = tokens.create_service_account(username="fachverfahren", email="fv@stadt.test")
    user.profile.job_title = "Sachbearbeitung"
    user.profile.save()
    assert in_directory(user_client, "kurz") == []

    create_missing_profiles()

    assert in_directory(user_client, "kurz") == ["Karl Kurz"]
    assert in_directory(user_client, "koehler") == in_directory(user_client, "köhler") == ["Lena Köhler"]
    assert user_client.get("/personen/karl.kurz/").status_code == 200
    assert not Profile.objects.filter(user=machine).exists()  # a machine stays out of the directory
    assert Profile.objects.get(user=user).job_title == "Sachbearbeitung"  # existing ones untouched
    create_missing_profiles()  # again: nothing more to do
    assert Profile.objects.count() == 3
