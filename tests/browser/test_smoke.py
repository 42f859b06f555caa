import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_staff_signs_in_and_sees_the_german_start_page(page, live_server, staff):
    page.goto(f"{live_server.url}/")
    assert "/konto/login/" in page.url  # everything is behind the sign-in
    sign_in(page, live_server, staff)
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Schön, dass Sie da sind, Anna")
    expect(page.get_by_role("search")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_the_reason_and_keeps_the_address(page, live_server, staff):
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail").fill(staff.email)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("alert").inner_text().startswith("Die E-Mail-Adresse oder das Passwort")
    assert page.get_by_label("E-Mail").input_value() == staff.email


@pytest.mark.django_db(transaction=True)
def test_phone_menu_opens_and_closes(phone_page, live_server, staff):
    sign_in(phone_page, live_server, staff)
    toggle = phone_page.get_by_role("button", name="Menü")
    expect(phone_page.get_by_role("link", name="Personen")).not_to_be_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    expect(phone_page.get_by_role("link", name="Personen")).to_be_visible()
    # nothing overflows the 360 px viewport horizontally
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.django_db(transaction=True)
def test_administrator_signs_in_with_the_second_factor_and_reaches_the_admin(page, live_server, department):
    from tests.conftest import activate_totp, ensure_start_page, make_user

    ensure_start_page()
    admin = make_user("ada.admin", department=department, is_staff=True, is_superuser=True)
    secret = activate_totp(admin)
    sign_in(page, live_server, admin, totp_secret=secret)
    page.goto(f"{live_server.url}/admin/")
    assert page.url.rstrip("/").endswith("/admin")
    assert page.title() == "Dashboard - Wagtail"  # the admin dashboard, not a sign-in or set-up page


@pytest.mark.django_db(transaction=True)
def test_the_browser_signs_in_after_other_tests_guessed_the_same_persons_password(page, live_server, staff, client):
    """Tests of the same worker sign in from 127.0.0.1 too, and wrongly as the same person on
    purpose; allauth's limits (30 sign-ins a minute per address, 5 failed in 5 minutes per
    account) then refused this browser's sign-in, which failed a later browser test at random in
    CI. The browser tests keep only the per-account limit and forget its count first."""
    for _ in range(30):
        client.post("/konto/login/", {"login": staff.email, "password": PASSWORD})
        client.logout()
    for _ in range(5):
        client.post("/konto/login/", {"login": staff.email, "password": "nicht-das-Passwort-1"})
    sign_in(page, live_server, staff)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anna")
