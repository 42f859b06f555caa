"""The frame every page shares: German by default, English on request, landmarks, skip link,
search box, navigation, notice slot, and error pages in the same design."""

import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_start_page_is_german_with_landmarks_skip_link_and_search_box(user_client):
    html = user_client.get("/").content.decode()
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#main"' in html and "Zum Inhalt springen" in html
    for landmark in ('role="banner"', "<main", 'role="contentinfo"', 'role="search"', "<nav"):
        assert landmark in html
    assert 'for="site-search-q"' in html and "Intranet durchsuchen" in html
    assert 'id="notices"' in html
    for link in ("Beiträge", "Personen", "Abmelden"):
        assert link in html


@pytest.mark.django_db
def test_staff_can_switch_to_english_and_back(user_client):
    response = user_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = user_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html and "Sign out" in html
    user_client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert '<html lang="de">' in user_client.get("/").content.decode()


@pytest.mark.django_db
def test_assets_are_served_by_the_site_itself(user_client):
    html = user_client.get("/").content.decode()
    assert "https://" not in html.split("<body")[0].replace("https://www.w3.org", "")
    assert "/static/css/site.css" in html


@pytest.mark.django_db
def test_404_page_is_in_the_site_design_and_german(user_client):
    response = user_client.get("/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html and 'role="banner"' in html


@pytest.mark.django_db
def test_403_page_is_in_the_site_design(user_client):
    response = user_client.get("/django-admin/")
    # staff-only Django admin: a signed-in non-staff member is sent to log in as staff there;
    # our own 403 view is exercised directly
    from django.test import RequestFactory

    from intranet.views import error_403

    request = RequestFactory().get("/geheim/")
    request.user = response.wsgi_request.user
    denied = error_403(request)
    assert denied.status_code == 403
    assert "Zugriff verweigert" in denied.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_500_page_is_self_contained_and_german(client):
    from django.test import RequestFactory

    from intranet.views import error_500

    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert (
        "Es ist ein Fehler aufgetreten" in response.content.decode()
        or "Etwas ist schiefgelaufen" in response.content.decode()
    )


@pytest.mark.django_db
def test_security_headers_are_sent(user_client):
    response = user_client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _directives(response) -> dict[str, set[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: set(part.split()[1:]) for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/documents/"])
def test_the_wagtail_admin_has_a_content_security_policy(admin_client, path):
    """Wagtail's admin still needs inline scripts; everything else is as strict as on the site."""
    response = admin_client.get(path)
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["default-src"] == {"'self'"}
    assert directives["script-src"] == {"'self'", "'unsafe-inline'"}  # no outside script, no eval
    assert directives["object-src"] == {"'none'"}
    assert directives["frame-ancestors"] == {"'self'"}
    assert directives["form-action"] == {"'self'"}
    assert directives["base-uri"] == {"'self'"}


@pytest.mark.django_db
def test_the_site_itself_keeps_its_stricter_policy(user_client):
    assert _directives(user_client.get("/"))["script-src"] == {"'self'"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/", "/django-admin/", "/api/v1/posts", "/konto/login/", "/healthz"])
def test_every_response_sends_a_permissions_policy(admin_client, path):
    policy = admin_client.get(path)["Permissions-Policy"]
    features = dict(item.strip().split("=") for item in policy.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()"
