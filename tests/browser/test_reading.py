"""Mandatory reading in a real browser (issue 15, point 1): an editor makes a page mandatory
reading in Wagtail's editor, a member of staff confirms it, the page's owner sees the counts —
in German, and the owner's browser in English."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from home import actions
from home.models import DepartmentPage, ReadingRequirement, WikiPage
from people.models import Department
from tests.browser.conftest import sign_in
from tests.conftest import activate_totp, ensure_start_page, make_user


def new_page(browser, locale="de-DE"):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.django_db(transaction=True)
def test_editor_sets_mandatory_reading_staff_confirm_and_the_owner_sees_the_counts(browser, live_server, staff):
    home = ensure_start_page()
    department = Department.objects.get(name="Bürgeramt")
    section = DepartmentPage(title="Bürgeramt", slug="buergeramt", department=department)
    home.add_child(instance=section)
    section.save_revision().publish()
    group = actions.sync_department_permissions(department_page=section)
    owner = make_user("olga.owner", department=department, first_name="Olga", last_name="Owner")
    wiki = WikiPage(title="Datenschutz am Schalter", slug="datenschutz", content_owner=owner)
    section.add_child(instance=wiki)
    wiki.save_revision().publish()
    editor = make_user("erik.editor", department=department, first_name="Erik", last_name="Editor")
    editor.groups.add(Group.objects.get(pk=group.pk))
    secret = activate_totp(editor)

    # The editor: panel "Pflichtlektüre" in Wagtail's editor, the Bürgeramt, publish.
    context, page = new_page(browser)
    sign_in(page, live_server, editor, totp_secret=secret)
    page.goto(f"{live_server.url}/admin/pages/{wiki.pk}/edit/")
    page.get_by_role("checkbox", name="Pflichtlektüre", exact=True).check()
    page.locator("#id_reading_departments").get_by_label("Bürgeramt").check()
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(lambda url: "/edit/" not in url)
    assert ReadingRequirement.objects.get(object_id=wiki.pk).is_active
    context.close()

    # A member of staff: "Zu lesen" with its count, the page's box, "Gelesen und verstanden".
    context, page = new_page(browser)
    sign_in(page, live_server, staff)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    expect(nav.get_by_role("link", name="Zu lesen 1")).to_be_visible()
    nav.get_by_role("link", name="Zu lesen 1").click()
    page.get_by_role("link", name="Datenschutz am Schalter").click()
    expect(page.get_by_role("heading", name="Pflichtlektüre")).to_be_visible()
    page.get_by_role("button", name="Gelesen und verstanden").click()
    assert page.get_by_role("status").inner_text().startswith("Danke")
    expect(page.get_by_text("Sie haben am")).to_be_visible()
    expect(nav.get_by_role("link", name="Zu lesen", exact=True)).to_be_visible()
    context.close()

    # The owner, in English: the counts per department, no names.
    context, page = new_page(browser, locale="en-GB")
    sign_in_en(page, live_server, owner)
    page.goto(f"{live_server.url}{wiki.url}")
    page.get_by_role("link", name="Reading progress per department").click()
    row = page.get_by_role("row", name="Bürgeramt")
    # asked: Anna, Olga, Erik; confirmed: Anna; still open: 2
    expect(row.get_by_role("cell")).to_have_text(["3", "1", "2"])
    expect(page.get_by_text("Anna Schmidt")).to_have_count(0)
    context.close()


def sign_in_en(page, live_server, user):
    from tests.conftest import PASSWORD

    page.goto(f"{live_server.url}/konto/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/konto/login" not in url)
