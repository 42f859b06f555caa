"""Sign-in with django-allauth: e-mail + password, no open sign-up, reset by e-mail, MFA for
editors and administrators, rate limits, and every page closed to anonymous visitors."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache

from tests.conftest import PASSWORD, make_user

LOGIN = "/konto/login/"


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"
    cache.clear()  # rate-limit counters live in the cache


def login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/beitraege/", "/personen/", "/suche/?q=Antrag", "/admin/"])
def test_every_page_sends_anonymous_visitors_to_the_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, "/konto/password/reset/", "/healthz"])
def test_login_reset_and_health_are_open(client, path):
    response = client.get(path)
    # /healthz answers without sign-in: 200, or 503 while the test's search index is not built
    assert response.status_code in ((200, 503) if path == "/healthz" else (200,))
    assert "/konto/login/" not in response.get("Location", "")


@pytest.mark.django_db
def test_login_page_is_german_and_offers_no_sign_up(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert "Anmelden" in html
    assert 'lang="de"' in html
    assert "/konto/signup/" not in html


@pytest.mark.django_db
def test_sign_up_is_closed(client):
    response = client.get("/konto/signup/")
    assert "Registrierung geschlossen" in response.content.decode() or response.status_code in (403, 404)
    response = client.post(
        "/konto/signup/", {"email": "neu@stadt.test", "password1": "S3hr-geheim-123", "password2": "S3hr-geheim-123"}
    )
    from people.models import User

    assert not User.objects.filter(email="neu@stadt.test").exists()


@pytest.mark.django_db
def test_staff_signs_in_with_e_mail_and_password_and_sees_the_start_page(client, user):
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    start = client.get("/")
    assert start.status_code == 200
    assert "Anna" in start.content.decode()


@pytest.mark.django_db
def test_e_mail_is_case_insensitive(client, user):
    response = login(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_password_gives_a_clear_german_message_and_keeps_the_address(client, user):
    response = login(client, user.email, "falsch")
    html = response.content.decode()
    assert response.status_code == 200
    assert "E-Mail-Adresse oder das Passwort ist nicht korrekt" in html
    assert f'value="{user.email}"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unknown_e_mail_gets_the_same_clear_message(client, user):
    response = login(client, "niemand@stadt.test", PASSWORD)
    assert response.status_code == 200
    assert "E-Mail-Adresse oder das Passwort ist nicht korrekt" in response.content.decode()


@pytest.mark.django_db
def test_empty_login_form_names_the_missing_fields(client):
    response = client.post(LOGIN, {"login": "", "password": ""})
    assert response.status_code == 200
    assert "Dieses Feld muss ausgefüllt werden." in response.content.decode()


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client, user):
    for _ in range(5):
        login(client, user.email, "falsch")
    response = login(client, user.email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Zu viele" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_by_e_mail_and_set_a_new_password(client, user):
    response = client.post("/konto/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    response = client.post(action, {"password1": "Neues-Passwort-2026", "password2": "Neues-Passwort-2026"})
    assert response.status_code == 302
    client.logout()
    assert login(client, user.email, "Neues-Passwort-2026").status_code == 302


@pytest.mark.django_db
def test_an_expired_or_broken_reset_link_says_so_in_german(client, user):
    response = client.get("/konto/password/reset/key/zz-falscher-schluessel/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ungültig" in html or "abgelaufen" in html


@pytest.mark.django_db
def test_reset_for_an_unknown_address_does_not_reveal_that_it_is_unknown(client, user):
    response = client.post("/konto/password/reset/", {"email": "niemand@stadt.test"})
    assert response.status_code == 302
    # allauth sends a notice to the unknown address instead of a link; nobody learns who exists
    assert all("/password/reset/key/" not in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_administrator_without_second_factor_must_set_it_up_first(client, department):
    admin = make_user("root.admin", department=department, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/2fa/totp/activate")
    # the activation page (after confirming the password, as allauth asks for it) is reachable
    assert client.get(response["Location"], follow=True).status_code == 200


@pytest.mark.django_db
def test_editor_with_admin_access_must_set_up_a_second_factor(client, department):
    editor = make_user("eva.editor", department=department)
    group = Group.objects.create(name="Redaktion")
    group.permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    editor.groups.add(group)
    client.force_login(editor)
    assert client.get("/admin/")["Location"].startswith("/konto/2fa/totp/activate")


@pytest.mark.django_db
def test_administrator_with_second_factor_gets_in(admin_client):
    assert admin_client.get("/").status_code == 200
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_may_set_up_a_second_factor_but_need_not(user_client):
    assert user_client.get("/").status_code == 200
    assert user_client.get("/konto/2fa/").status_code == 200


@pytest.mark.django_db
def test_signing_in_with_a_second_factor_asks_for_the_code(client, admin_user):
    response = login(client, admin_user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/2fa/authenticate")
    assert client.get("/")["Location"].startswith(LOGIN)  # not signed in yet
    wrong = client.post("/konto/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Falscher Code" in wrong.content.decode()
