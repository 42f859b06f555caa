"""No sign-in without the second factor, on any routed URL (issue 13, point 1), and limits on
guessing a password that hold on every page that takes one and behind the proxy (point 5).

The URL list is not written by hand: every URL the site routes is tried, so a password form that
a new app or a Wagtail upgrade brings along fails these tests until it is proven too."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.conftest import PASSWORD, activate_totp, make_user, sign_in, totp_code

WRONG = "falsches-Passwort-123"


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    settings.LANGUAGE_CODE = "de"
    cache.clear()  # allauth's counters live in the cache
    yield
    cache.clear()


@pytest.fixture
def admin_with_totp(db, department):
    user = make_user("ada.admin", department=department, is_staff=True, is_superuser=True)
    return user, activate_totp(user)


@pytest.fixture
def editor_with_totp(db, department):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Redaktion Bauamt")
    group.permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    user = make_user("eva.editor", department=department)
    user.groups.add(group)
    return user, activate_totp(user)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- every routed URL ----------------------------------------------------------------------------
# Sample values for path converters, and for the regular expressions with groups (each named here,
# so that a new one fails the enumeration until it is given a sample).
CONVERTER_SAMPLES = {"int": "1", "str": "1", "slug": "x", "path": "x/y", "uuid": "00000000-0000-0000-0000-000000000001"}
REGEX_SAMPLES = {
    r"/((?:[\w\-]+/)*)": "/wiki/",
    r"/dokumente/(\d+)/(.*)": "/dokumente/1/x.pdf",
    r"/api/v1/.*": "/api/v1/unbekannt",
    r"/konto/confirm-email/(?P<key>[-:\w]+)/": "/konto/confirm-email/x/",
    r"/konto/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/": "/konto/password/reset/key/1-x/",
    r"/konto/oidc/(?P<provider_id>[^/]+)/login/": "/konto/oidc/sso/login/",
    r"/konto/oidc/(?P<provider_id>[^/]+)/login/callback/": "/konto/oidc/sso/login/callback/",
    r"/admin/pages/(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\.(?P<revision_id_b>live|latest|\d+)/": "/admin/pages/1/revisions/compare/earliest...latest/",
    r"/admin/.*/": "/admin/unbekannt/",
    r"/django-admin/(?P<app_label>intranet|wagtailimages|taggit|django_tasks_database|account|mfa|socialaccount|auth|sites)/": "/django-admin/auth/",
    r"/django-admin/(?P<url>.*)": "/django-admin/unbekannt",
}


def _sample(route: str) -> str | None:
    route = route.replace("^", "").replace("\\Z", "").replace("$", "")

    def converter(match):
        kind = match.group(1) or "str"
        return CONVERTER_SAMPLES.get(kind.rstrip(":"), "x")

    return re.sub(r"<(?:(\w+):)?\w+>", converter, route)


def routed_urls() -> list[str]:
    """One URL for every routed pattern: parameters filled with samples."""
    urls, unknown = set(), []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route.replace("$", "").replace("\\Z", ""))
                continue
            url = _sample(route)
            if re.search(r"[()\[\]\\*+?|]", url):
                cleaned = route.replace("$", "").replace("\\Z", "")
                if cleaned in REGEX_SAMPLES:
                    urls.add(REGEX_SAMPLES[cleaned])
                else:
                    unknown.append(cleaned)
                continue
            urls.add(url)

    walk(get_resolver().url_patterns, "/")
    assert not unknown, f"routed patterns without a sample URL in REGEX_SAMPLES: {unknown}"
    return sorted(urls)


def credentials(user) -> dict:
    """Every field name a sign-in form of Django, Wagtail or allauth reads."""
    return {
        "login": user.email,
        "username": user.username,
        "email": user.email,
        "password": PASSWORD,
        "oldpassword": PASSWORD,
        "next": "/admin/",
    }


def test_the_enumeration_finds_the_sign_in_pages_of_django_wagtail_and_allauth(db):
    urls = routed_urls()
    assert len(urls) > 300  # the site, both admins, allauth, the API
    for url in ["/konto/login/", "/admin/login/", "/django-admin/login/", "/_util/login/", "/konto/reauthenticate/"]:
        assert url in urls


def test_no_routed_url_signs_in_with_the_password_alone(admin_with_totp):
    """The probe's repro (POST username and password to /django-admin/login/ or /admin/login/)
    for every URL the site routes: none gives a session."""
    admin, _secret = admin_with_totp
    data = credentials(admin)
    signed_in_by = []
    for url in routed_urls():
        client = Client(raise_request_exception=False)
        client.post(url, data)
        if signed_in(client):
            signed_in_by.append(url)
        cache.clear()  # the limits on guessing must not be what stops the next URL
    assert signed_in_by == []


@pytest.mark.parametrize("url", ["/django-admin/login/", "/admin/login/", "/_util/login/"])
def test_the_admins_sign_in_pages_lead_to_the_sign_in_with_second_factor(client, admin_with_totp, url):
    admin, secret = admin_with_totp
    response = client.post(url + "?next=/django-admin/", credentials(admin))
    assert response.status_code == 303
    assert response["Location"] == "/konto/login/?next=%2Fdjango-admin%2F"
    assert not signed_in(client)
    for protected in ["/admin/", "/django-admin/", "/api-zugang/"]:
        assert client.get(protected, follow=True).redirect_chain[-1][0].startswith("/konto/login/")
    # the way it leads to asks for the code, and then lets the administrator in
    assert client.post("/konto/login/", {"login": admin.email, "password": PASSWORD})["Location"].startswith(
        "/konto/2fa/authenticate/"
    )
    assert not signed_in(client)
    client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    assert signed_in(client)
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_wagtails_password_reset_leads_to_allauths(client, editor_with_totp):
    editor, _ = editor_with_totp
    response = client.post("/admin/password_reset/", {"email": editor.email})
    assert response["Location"] == "/konto/password/reset/"
    assert client.get("/admin/password_reset/confirm/x/y/")["Location"] == "/konto/password/reset/"


def _password_only_session(user) -> Client:
    """A session that passed the password but not the second factor: what the old admin sign-in
    pages gave, and what a session from before a second factor was set up still is."""
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    client = Client()
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password")
    request.session.save()
    return client


@pytest.mark.parametrize("who", ["admin_with_totp", "editor_with_totp"])
def test_a_session_without_the_second_factor_reaches_no_admin_and_no_token_page(request, home_page, who):
    user, secret = request.getfixturevalue(who)
    client = _password_only_session(user)
    for url in ["/admin/", "/admin/pages/", "/django-admin/", "/django-admin/intranet/apitoken/", "/api-zugang/", "/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/konto/2fa/reauthenticate/"), url
    # nor can it create a token, nor use the API with the session
    assert client.post("/api-zugang/", {"name": "Hintertür", "scope": "write"}).status_code == 302
    assert not user.api_tokens.exists()
    api = client.get("/api/v1/posts")
    assert api.status_code == 403 and api.json()["error"]["code"] == "mfa_not_confirmed"
    # giving the code now lets it in
    assert client.post("/konto/2fa/reauthenticate/", {"code": totp_code(secret)}).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/api-zugang/").status_code == 200


def test_staff_with_an_optional_second_factor_must_give_it_before_the_token_page(home_page, user):
    secret = activate_totp(user)
    client = _password_only_session(user)
    assert client.get("/beitraege/").status_code == 200  # the site itself, as before
    assert client.get("/api-zugang/")["Location"].startswith("/konto/2fa/reauthenticate/")
    client.post("/konto/2fa/reauthenticate/", {"code": totp_code(secret)})
    assert client.get("/api-zugang/").status_code == 200


def test_setting_up_the_second_factor_counts_as_giving_it(client, department):
    """An administrator without TOTP is sent to set it up; the code typed there is the second
    factor of this session, so the admin opens at once."""
    admin = make_user("root.admin", department=department, is_staff=True, is_superuser=True)
    client.post("/konto/login/", {"login": admin.email, "password": PASSWORD})
    assert signed_in(client)
    activation = client.get("/admin/")["Location"]
    assert activation.startswith("/konto/2fa/totp/activate/")
    client.post("/konto/reauthenticate/", {"password": PASSWORD})  # allauth asks for it before activation
    page = client.get(activation)
    secret = page.context["form"].secret
    response = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# --- limits on guessing --------------------------------------------------------------------------
def password_fields_on(url: str, client: Client) -> bool:
    response = client.get(url)
    return response.status_code == 200 and 'type="password"' in response.content.decode(errors="replace")


def test_every_page_with_a_password_field_is_one_whose_guessing_is_limited(admin_with_totp, user):
    """The enumeration again, for pages that show a password field to a visitor, to a member of
    staff or to an administrator. Each one found must be among those the next test proves."""
    admin, _ = admin_with_totp
    visitors = [Client(raise_request_exception=False)]
    visitors += [sign_in(Client(raise_request_exception=False), person) for person in (user, admin)]
    found = {url for url in routed_urls() for client in visitors if password_fields_on(url, client)}
    assert found == set(GUESSING_PROOFS)


def refused(response) -> bool:
    """allauth's answer to too many tries: its "too many" page (429) or the form's error."""
    return response.status_code == 429 or (response.status_code == 200 and "Zu viele" in response.content.decode())


def _guess_sign_in(user):
    client = Client()
    for _ in range(30):
        client.post("/konto/login/", {"login": user.email, "password": WRONG})
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    return refused(response) and not signed_in(client)


def _guess_reauthentication(user):
    client = sign_in(Client(), user)
    for _ in range(30):
        client.post("/konto/reauthenticate/", {"password": WRONG})
    response = client.post("/konto/reauthenticate/", {"password": PASSWORD})
    return refused(response)


def _guess_password_change(user):
    client = sign_in(Client(), user)
    new = "Ganz-neues-Passwort-2026"
    for _ in range(30):
        client.post("/konto/password/change/", {"oldpassword": WRONG, "password1": new, "password2": new})
    response = client.post("/konto/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new})
    user.refresh_from_db()
    return refused(response) and user.check_password(PASSWORD)


GUESSING_PROOFS = {
    "/konto/login/": _guess_sign_in,
    "/konto/reauthenticate/": _guess_reauthentication,
    "/konto/password/change/": _guess_password_change,
}


@pytest.mark.parametrize("url", sorted(GUESSING_PROOFS))
def test_thirty_wrong_passwords_then_the_right_one_does_not_get_through(admin_with_totp, url):
    admin, _ = admin_with_totp
    assert GUESSING_PROOFS[url](admin)


def test_the_right_password_after_a_few_wrong_ones_still_works(client, user):
    for _ in range(3):
        client.post("/konto/login/", {"login": user.email, "password": WRONG})
    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert signed_in(client)


# --- behind the proxy (point 5) ------------------------------------------------------------------
def _fail_from(address: str, user, times: int):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
    for _ in range(times):
        client.post("/konto/login/", {"login": user.email, "password": WRONG})


def _sign_in_from(address: str, user) -> Client:
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)
    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    return client


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_the_others(settings, department):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    staff = [make_user(f"person.{n}", department=department) for n in range(4)]
    # one client (behind nginx, so every request comes from 127.0.0.1) fails 12 times over 3 accounts
    for person in staff[:3]:
        _fail_from("10.1.1.1", person, 4)
    # a colleague at another desk signs in at once
    assert signed_in(_sign_in_from("10.2.2.2", staff[3]))
    # the guessing client itself is held back, whatever account it tries next
    locked = _sign_in_from("10.1.1.1", staff[3])
    assert not signed_in(locked)


def test_without_the_proxy_setting_every_client_shares_the_proxys_address(settings, department):
    """The finding itself: with TRUSTED_PROXY_COUNT unset behind a proxy, ten failures by anyone
    lock out everyone (this is why docs/deploy.md says to set it)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    staff = [make_user(f"person.{n}", department=department) for n in range(4)]
    for person in staff[:3]:
        _fail_from("10.1.1.1", person, 4)
    assert not signed_in(_sign_in_from("10.2.2.2", staff[3]))


def test_failed_sign_ins_also_count_per_account_from_many_addresses(settings, user):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(6):
        _fail_from(f"10.3.3.{n}", user, 1)  # a distributed guess: one try from each address
    assert not signed_in(_sign_in_from("10.4.4.4", user))


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(settings, user, other_user):
    """The client's address is the one nginx appended (the last), not what the client wrote."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(12):
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 10.5.5.5")
        client.post("/konto/login/", {"login": f"niemand{n}@stadt.test", "password": WRONG})
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 10.5.5.5")
    client.post("/konto/login/", {"login": other_user.email, "password": PASSWORD})
    assert not signed_in(client)
