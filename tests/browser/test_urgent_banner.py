"""The urgent notices banner: one landmark for all notices, compact, one notice at a time with
"1 von 2" and previous/next; on a phone a slim bar that opens."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from posts import actions
from tests.browser.conftest import sign_in
from tests.conftest import make_user


def _two_notices():
    crisis = make_user("stephanie.mayer", first_name="Stephanie", last_name="Mayer")
    group = Group.objects.create(name="Krisenstab")
    group.permissions.add(Permission.objects.get(codename="publish_urgent"))
    crisis.groups.add(group)
    actions.publish_urgent(author=crisis, text="Sturmwarnung: Das Rathaus schließt heute um 14 Uhr.")
    actions.publish_urgent(author=crisis, text="Das Telefonnetz im Technischen Rathaus ist gestört.")


@pytest.mark.django_db(transaction=True)
def test_two_notices_one_at_a_time_in_one_landmark(page, live_server, staff):
    _two_notices()
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/personen/")
    expect(page.get_by_role("region", name="Eilmeldung")).to_have_count(1)
    banner = page.get_by_role("region", name="Eilmeldungen (2)")
    expect(banner.get_by_text("1 von 2")).to_be_visible()
    expect(banner.get_by_text("Telefonnetz")).to_be_visible()  # the newest first
    expect(banner.get_by_text("Sturmwarnung")).to_be_hidden()
    height = banner.bounding_box()["height"]
    print(f"\nbanner height with two notices (desktop): {height:.0f} px")
    assert height <= 120  # it was ~280 px with two stacked banners
    banner.get_by_role("button", name="Nächste Meldung").click()
    expect(banner.get_by_text("2 von 2")).to_be_visible()
    expect(banner.get_by_text("Sturmwarnung")).to_be_visible()
    expect(banner.get_by_text("Telefonnetz")).to_be_hidden()
    banner.get_by_role("button", name="Vorherige Meldung").click()
    expect(banner.get_by_text("1 von 2")).to_be_visible()
    violations = {v["id"] for v in Axe().run(page).response["violations"]}
    assert not violations & {"landmark-unique", "region", "landmark-no-duplicate-banner"}
    # acknowledging the shown one leaves the other
    banner.get_by_role("button", name="Zur Kenntnis genommen").click()
    page.wait_for_url(f"{live_server.url}/personen/")
    expect(page.get_by_role("region", name="Eilmeldung")).to_contain_text("Sturmwarnung")
    expect(page.get_by_text("1 von 2")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_banner_is_a_slim_bar_that_opens(phone_page, live_server, staff):
    _two_notices()
    sign_in(phone_page, live_server, staff)
    phone_page.goto(f"{live_server.url}/personen/")
    banner = phone_page.get_by_role("region", name="Eilmeldungen (2)")
    show = banner.get_by_role("button", name="Anzeigen")
    expect(show).to_have_attribute("aria-expanded", "false")
    expect(banner.get_by_text("Telefonnetz")).to_be_hidden()
    closed = banner.bounding_box()["height"]
    print(f"\nbanner height on a phone, closed: {closed:.0f} px")
    assert closed <= 56
    show.click()
    expect(banner.get_by_role("button", name="Ausblenden")).to_have_attribute("aria-expanded", "true")
    expect(banner.get_by_text("Telefonnetz")).to_be_visible()
    expect(banner.get_by_text("1 von 2")).to_be_visible()
