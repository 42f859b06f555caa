"""The staff directory and the profile form in a real browser (Debian's Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Department, Profile
from tests.browser.conftest import sign_in
from tests.conftest import make_user


@pytest.fixture
def colleague(staff):
    kaemmerei = Department.objects.create(name="Kämmerei", short_name="Käm")
    user = make_user("birgit.lehmann", department=kaemmerei, first_name="Birgit", last_name="Lehmann")
    profile = Profile.objects.get(user=user)
    profile.job_title = "Vergabestelle"
    profile.save()
    profile.expertise.add("Vergaberecht")
    return user


@pytest.mark.django_db(transaction=True)
def test_who_knows_about_procurement_law(page, live_server, staff, colleague):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/personen/")
    directory = page.get_by_role("search", name="Personenverzeichnis")
    directory.get_by_label("Personen suchen").fill("Wer kennt sich mit Vergaberecht aus?")
    directory.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("status").filter(has_text="gefunden")).to_have_text("1 Person gefunden")
    page.get_by_role("link", name="Birgit Lehmann").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Birgit Lehmann")
    expect(page.get_by_text("Vergabestelle").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_to_z_and_department_filter_work_without_javascript(browser, live_server, staff, colleague):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, staff)
        page.goto(f"{live_server.url}/personen/")
        page.get_by_role("navigation", name="Nachname von A bis Z").get_by_role("link", name="L", exact=True).click()
        expect(page).to_have_url(re.compile(r"buchstabe=L"))
        results = page.locator(".people-list")
        expect(results.get_by_role("link", name="Birgit Lehmann")).to_be_visible()
        expect(results.get_by_role("link", name="Anna Schmidt")).to_have_count(0)
        page.goto(f"{live_server.url}/personen/")
        directory = page.get_by_role("search", name="Personenverzeichnis")
        directory.get_by_label("Amt").select_option(label="Kämmerei")
        directory.get_by_role("button", name="Suchen").click()
        expect(page).to_have_url(re.compile(r"abteilung=kaemmerei"))
        expect(results.get_by_role("link", name="Birgit Lehmann")).to_be_visible()
        expect(results.get_by_role("link", name="Anna Schmidt")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_edit_own_profile_and_fix_a_mistake(page, live_server, staff, colleague):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/personen/{staff.username}/")
    page.get_by_role("link", name="Profil bearbeiten").click()
    page.get_by_label("Zuständigkeiten").fill("An- und Ummeldungen")
    page.get_by_label("Fachgebiete").fill("Meldewesen, Melderecht")
    page.get_by_label("Vertretung", exact=True).fill("niemand@stadt.test")
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "Kein aktiver Kollege" in page.locator(".field--error").inner_text()
    assert page.get_by_label("Zuständigkeiten").input_value() == "An- und Ummeldungen"  # nothing lost
    page.get_by_label("Vertretung", exact=True).fill(colleague.email)
    page.get_by_role("button", name="Profil speichern").click()
    expect(page.get_by_role("status").filter(has_text="gespeichert")).to_be_visible()
    expect(page.get_by_role("link", name="Birgit Lehmann")).to_be_visible()
    expect(page.get_by_text("Melderecht")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_directory_fits_a_phone(phone_page, live_server, staff, colleague):
    sign_in(phone_page, live_server, staff)
    phone_page.goto(f"{live_server.url}/personen/?q=Vergaberecht")
    expect(phone_page.get_by_role("link", name="Birgit Lehmann")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
