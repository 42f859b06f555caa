"""The header: the brand link's accessible name starts with its visible text, and the search
box is wide enough for its placeholder (issue #17)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_brand_link_name_and_search_placeholder(page, live_server, staff):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/personen/")
    expect(page.get_by_role("link", name="Wissensnetz – Startseite", exact=True)).to_be_visible()
    violations = {v["id"] for v in Axe().run(page).response["violations"]}
    assert "label-content-name-mismatch" not in violations


PLACEHOLDER_FITS = """el => {
  const style = getComputedStyle(el, "::placeholder");
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const box = getComputedStyle(el);
  const room = el.clientWidth - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight);
  return [context.measureText(el.placeholder).width, room, style.fontSize];
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_search_placeholder_is_not_cut_off(request, viewport, live_server, staff):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/personen/")
    search = page.get_by_role("combobox", name="Intranet durchsuchen")
    assert search.get_attribute("placeholder") == "Seiten, Beiträge, Personen …"
    needed, room, size = search.evaluate(PLACEHOLDER_FITS)
    assert needed <= room, (needed, room, size)
