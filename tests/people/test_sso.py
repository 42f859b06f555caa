"""Single sign-on end to end against a real OpenID Connect provider.

The provider is django-allauth's own (allauth.idp.oidc), started in a second Django process with
its own SQLite database on a free loopback port (tests/people/idp/). The Wissensnetz runs in
pytest-django's live server and is its client. A `requests` session plays the browser: it follows
every redirect between the two servers, signs in at the provider's form and comes back — nothing
is mocked. (A real browser is not used here because every step is a plain redirect or form.)"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from people.models import Department, Profile, User

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "wissensnetz"
CLIENT_SECRET = "idp-test-secret-0123456789"
PROVIDER_ID = "sso"
IDP_PASSWORD = "Anmeldung-beim-IdP-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log, *, timeout: float, request_timeout: float = 5) -> None:
    """Waits until ``url`` answers 200. Not listening yet (ConnectionError) and listening but too
    busy to answer in time on a loaded machine (ReadTimeout) both mean: ask again, until
    ``timeout``; then, or when the server process has ended, the test fails with its log."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(url, timeout=request_timeout).status_code == 200:
                return
        except requests.RequestException:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"the identity provider did not start:\n{log.read()[-3000:]}")
        time.sleep(0.2)


class IdentityProvider:
    def __init__(self, url: str, env: dict):
        self.url = url
        self.env = env

    def control(self, command: str, **data) -> None:
        subprocess.run(
            [sys.executable, "-m", "tests.people.idp.control", command, json.dumps(data)],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def user(self, **data) -> None:
        self.control("user", **data)


def test_waiting_for_the_provider_survives_a_server_too_busy_to_answer(tmp_path):
    """Under load the provider may accept the connection and answer only later: the wait asks
    again instead of erroring the SSO tests (it caught only ConnectionError, and a ReadTimeout
    errored two tests on a busy machine)."""
    port = free_port()
    script = (
        "import http.server, time\n"
        "class H(http.server.BaseHTTPRequestHandler):\n"
        "    n = 0\n"
        "    def do_GET(self):\n"
        "        H.n += 1\n"
        "        if H.n == 1:\n"
        "            time.sleep(1.5)\n"  # the first answer comes after the client gave up
        "        self.send_response(200); self.end_headers(); self.wfile.write(b'{}')\n"
        "    def log_message(self, *args): pass\n"
        f"http.server.HTTPServer(('127.0.0.1', {port}), H).serve_forever()\n"
    )
    with open(tmp_path / "log", "w+") as log:
        server = subprocess.Popen([sys.executable, "-c", script], stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", server, log, timeout=30, request_timeout=0.5)
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory, live_server):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.people.idp.settings",
        "IDP_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "IDP_PRIVATE_KEY": pem,
        "OAUTHLIB_INSECURE_TRANSPORT": "1",  # plain HTTP on loopback, tests only
        "PYTHONPATH": str(ROOT),
    }
    provider = IdentityProvider(f"http://127.0.0.1:{port}", env)
    provider.control(
        "setup",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        redirect_uri=f"{live_server.url}/konto/oidc/{PROVIDER_ID}/login/callback/",
    )
    log = open(tmp_path_factory.mktemp("idp-log") / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"{provider.url}/.well-known/openid-configuration", server, log, timeout=60)
        yield provider
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
def sso(settings, identity_provider):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "Stadt-Login",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": identity_provider.url},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    }
    settings.LANGUAGE_CODE = "de"
    return identity_provider


def csrf_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in_with_sso(
    live_server, email: str, password: str = IDP_PASSWORD
) -> tuple[requests.Session, requests.Response]:
    """What a person does: opens the sign-in page, presses the single sign-on button, signs in at
    the identity provider and is sent back."""
    browser = requests.Session()
    login_page = browser.get(f"{live_server.url}/konto/login/", timeout=30)
    assert "Stadt-Login" in login_page.text  # the button is offered
    response = browser.post(
        f"{live_server.url}/konto/oidc/{PROVIDER_ID}/login/",
        data={"csrfmiddlewaretoken": csrf_from(login_page.text)},
        headers={"Referer": login_page.url},
        timeout=30,
    )
    # Now at the identity provider's own sign-in form.
    assert "/accounts/login/" in response.url, response.url
    response = browser.post(
        response.url,
        data={"csrfmiddlewaretoken": csrf_from(response.text), "login": email, "password": password},
        headers={"Referer": response.url},
        timeout=30,
    )
    return browser, response


def signed_in_user(browser, live_server):
    page = browser.get(f"{live_server.url}/personen/profil/bearbeiten/", timeout=30, allow_redirects=False)
    if page.status_code != 200:
        return None
    return page


@pytest.mark.django_db(transaction=True)
def test_first_sign_in_creates_account_and_profile_from_the_claims(sso, live_server):
    sso.user(email="lisa.berger@stadt.test", password=IDP_PASSWORD, first_name="Lisa", last_name="Berger",
             department="Umweltamt", is_active=True)  # fmt: skip
    browser, response = sign_in_with_sso(live_server, "lisa.berger@stadt.test")
    assert response.url.startswith(live_server.url), response.url
    user = User.objects.get(email="lisa.berger@stadt.test")
    assert (user.first_name, user.last_name, user.username) == ("Lisa", "Berger", "lisa.berger")
    assert not user.has_usable_password()
    profile = Profile.objects.get(user=user)
    assert profile.department == Department.objects.get(name="Umweltamt")  # created when missing
    assert set(profile.managed_fields) >= {"first_name", "last_name", "email", "department"}
    form = signed_in_user(browser, live_server)
    assert form is not None
    assert "zentralen Benutzerverwaltung" in form.text
    assert re.search(r'name="first_name"[^>]*disabled|disabled[^>]*name="first_name"', form.text)
    assert "lisa.berger" in browser.get(f"{live_server.url}/personen/", timeout=30).text


@pytest.mark.django_db(transaction=True)
def test_later_sign_ins_update_name_and_department(sso, live_server):
    sso.user(email="tim.roth@stadt.test", password=IDP_PASSWORD, first_name="Tim", last_name="Roth",
             department="Bauamt", is_active=True)  # fmt: skip
    sign_in_with_sso(live_server, "tim.roth@stadt.test")
    assert Profile.objects.get(user__email="tim.roth@stadt.test").department.name == "Bauamt"
    sso.user(email="tim.roth@stadt.test", last_name="Roth-Weber", department="Kämmerei")
    browser, _ = sign_in_with_sso(live_server, "tim.roth@stadt.test")
    assert signed_in_user(browser, live_server) is not None
    assert User.objects.filter(email="tim.roth@stadt.test").count() == 1
    profile = Profile.objects.select_related("user", "department").get(user__email="tim.roth@stadt.test")
    assert profile.user.last_name == "Roth-Weber"
    assert profile.department.name == "Kämmerei"
    assert Department.objects.filter(name="Bauamt").exists()


@pytest.mark.django_db(transaction=True)
def test_an_account_disabled_at_the_provider_cannot_sign_in(sso, live_server):
    sso.user(email="ex.kollege@stadt.test", password=IDP_PASSWORD, first_name="Ex", last_name="Kollege",
             department="Bauamt", is_active=True)  # fmt: skip
    browser, _ = sign_in_with_sso(live_server, "ex.kollege@stadt.test")
    assert signed_in_user(browser, live_server) is not None
    sso.user(email="ex.kollege@stadt.test", is_active=False)
    browser, response = sign_in_with_sso(live_server, "ex.kollege@stadt.test")
    assert response.url.startswith(sso.url)  # the provider refuses; nobody is sent back signed in
    assert signed_in_user(browser, live_server) is None


@pytest.mark.django_db(transaction=True)
def test_an_account_deactivated_here_cannot_sign_in_by_sso(sso, live_server):
    sso.user(email="gesperrt@stadt.test", password=IDP_PASSWORD, first_name="Gesa", last_name="Sperr",
             department="Bauamt", is_active=True)  # fmt: skip
    sign_in_with_sso(live_server, "gesperrt@stadt.test")
    User.objects.filter(email="gesperrt@stadt.test").update(is_active=False)
    browser, response = sign_in_with_sso(live_server, "gesperrt@stadt.test")
    assert signed_in_user(browser, live_server) is None
    assert response.url == f"{live_server.url}/konto/inactive/"
    assert "Dieses Konto ist inaktiv." in response.text


@pytest.mark.django_db(transaction=True)
def test_wrong_password_at_the_provider_signs_nobody_in(sso, live_server):
    sso.user(email="vera.vogt@stadt.test", password=IDP_PASSWORD, first_name="Vera", last_name="Vogt",
             is_active=True)  # fmt: skip
    browser, response = sign_in_with_sso(live_server, "vera.vogt@stadt.test", password="falsch-falsch")
    assert response.url.startswith(sso.url)
    assert signed_in_user(browser, live_server) is None
    assert not User.objects.filter(email="vera.vogt@stadt.test").exists()
