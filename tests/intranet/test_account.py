"""The account overview (/konto/): the menu's "Konto" leads there, and it shows and links
everything a person manages about their account; the sign-in message names the person; setting
up the authenticator app ends on the recovery codes with a way on."""

import re

import pytest
from django.test import Client

from intranet import tokens
from tests.conftest import PASSWORD, activate_totp, sign_in, totp_code

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_konto_in_the_menu_leads_to_the_overview(home_page, user):
    html = html_of(sign_in(Client(), user).get("/"))
    assert re.search(r'<a href="/konto/"[^>]*>Konto</a>', html)
    assert 'href="/konto/password/change/">Konto' not in html


def test_overview_shows_name_email_and_links_to_what_can_be_managed(home_page, user):
    tokens.create_token(user=user, name="Skript", scope="read", expires_in_days=30)
    html = html_of(sign_in(Client(), user).get("/konto/"))
    assert "<h1>Ihr Konto</h1>" in html
    assert "Anna Schmidt" in html and user.email in html
    for href in (
        "/konto/password/change/",  # password
        "/konto/2fa/totp/activate/",  # second factor: off, so "set up"
        "/api-zugang/",  # API tokens
        "/benachrichtigungen/einstellungen/",  # notifications
        "/personen/datenschutz/export/",  # my data (GDPR)
        "/i18n/setlang/",  # language
    ):
        assert f'"{href}"' in html, href
    assert "1 aktives Token" in html
    assert "Aus" in html and "Wiederherstellungscodes" not in html
    assert 'aria-current="page">Konto' in html


def test_overview_with_the_authenticator_app_shows_it_and_the_recovery_codes(home_page, user):
    activate_totp(user)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(user)
    html = html_of(sign_in(Client(), user).get("/konto/"))
    assert "Authenticator-App: an" in html and '"/konto/2fa/"' in html
    assert "10 unbenutzte Codes" in html and '"/konto/2fa/recovery-codes/"' in html
    assert "/konto/2fa/totp/activate/" not in html


def test_the_overview_is_for_signed_in_people_only(client, home_page):
    response = client.get("/konto/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_sign_in_message_names_the_person_not_the_user_name(client, home_page, user):
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD}, follow=True)
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Anna Schmidt" in text and "anna.schmidt" not in text


def test_authenticator_set_up_ends_on_the_recovery_codes_with_a_way_on(client, home_page, user):
    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    client.post("/konto/reauthenticate/", {"password": PASSWORD})
    secret = client.get("/konto/2fa/totp/activate/").context["form"].secret
    response = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)
    html = html_of(response)
    assert response.redirect_chain[-1][0] == "/konto/2fa/recovery-codes/"
    assert re.search(r'<a class="button" href="/konto/">Weiter zu Ihrem Konto</a>', html)
