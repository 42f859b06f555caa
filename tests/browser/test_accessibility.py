"""axe-core on every page type: zero serious or critical violations, desktop and phone.

Each app adds its page types in `tests/browser/a11y_pages.py`: a function that builds what the
page needs in the live server's database and returns (name, path) pairs."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.a11y_pages import PAGE_BUILDERS
from tests.browser.conftest import sign_in

AXE = Axe()


def serious_violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.django_db(transaction=True)
def test_sign_in_page_has_no_serious_accessibility_violations(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/konto/login/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Anmelden").click()  # with error messages shown
    assert serious_violations(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_type_has_no_serious_accessibility_violations(request, viewport, live_server, staff):
    page = request.getfixturevalue("page" if viewport == "desktop" else "phone_page")
    sign_in(page, live_server, staff)
    pages = [entry for builder in PAGE_BUILDERS for entry in builder(staff)]
    assert len(pages) >= 3
    problems = {}
    for name, path, *expected in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == (expected[0] if expected else 200), f"{name} ({path}) answered {response.status}"
        violations = serious_violations(page)
        if violations:
            problems[f"{name} {path}"] = violations
    assert problems == {}
