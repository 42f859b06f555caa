"""The header box's as-you-type suggestions (combobox with listbox) and the search page's
filters, in Chromium — with the keyboard, and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from posts import actions
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.search_index]


@pytest.fixture
def tagged_post(staff):
    return actions.create_post(
        author=staff,
        channel=actions.general_channel(),
        text="Sondernutzung der Straße beantragen #Sondernutzung",
        check_limits=False,
    )


def test_suggestions_with_the_keyboard(page, live_server, staff, tagged_post):
    sign_in(page, live_server, staff)
    box = page.locator("#site-search-q")
    box.fill("Sondernutz")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "site-search-option-0")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/suche/\?q=Sondernutz"))


def test_filters_work_and_count_is_announced(page, live_server, staff, tagged_post):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/suche/?q=Sondernutzung")
    expect(page.get_by_role("status")).to_contain_text("Treffer")
    page.get_by_label("Beiträge").check()
    page.get_by_role("button", name="Suchen", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"type=post"))
    expect(page.locator(".search-hit mark").first).to_be_visible()


def test_suggestions_on_a_phone(phone_page, live_server, staff, tagged_post):
    sign_in(phone_page, live_server, staff)
    box = phone_page.locator("#site-search-q")
    box.fill("Sondernutz")
    expect(phone_page.get_by_role("option").first).to_be_visible()
