import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in


@pytest.mark.django_db(transaction=True)
def test_the_api_docs_are_a_site_page_from_local_assets_without_errors(page, live_server, staff):
    problems, outside = [], []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: not request.url.startswith(live_server.url) and outside.append(request.url))
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("API-Dokumentation")
    expect(page.get_by_role("navigation", name="Inhalt")).to_be_visible()
    # the table of contents leads to the operation, by keyboard
    link = page.get_by_role("navigation", name="Inhalt").get_by_role(
        "link", name="POST /api/v1/posts/{post_id}/reactions"
    )
    link.focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#op-posts_api_react")
    expect(page.get_by_role("article", name="POST /api/v1/posts/{post_id}/reactions")).to_be_in_viewport()
    assert problems == []
    assert outside == []  # no CDN: every asset comes from the site itself


@pytest.mark.django_db(transaction=True)
def test_staff_create_copy_use_and_revoke_a_token(page, live_server, staff):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/api-zugang/")
    page.get_by_label("Name").fill("Auswertung")
    page.get_by_label("Lesen und schreiben").check()
    page.get_by_label("Gültig für (Tage)").fill("30")
    page.get_by_role("button", name="Token erstellen").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("wn_")
    response = page.request.get(f"{live_server.url}/api/v1/people", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200
    page.goto(f"{live_server.url}/api-zugang/")
    assert token not in page.content()  # shown once
    page.get_by_role("button", name="Widerrufen").click()
    expect(page.get_by_text("wurde widerrufen")).to_be_visible()
    response = page.request.get(f"{live_server.url}/api/v1/people", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401


@pytest.mark.django_db(transaction=True)
def test_a_bad_token_form_keeps_the_input_and_explains(page, live_server, staff):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/api-zugang/")
    page.get_by_label("Name").fill("Skript")
    page.get_by_label("Gültig für (Tage)").fill("0")
    page.get_by_role("button", name="Token erstellen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("Name").input_value() == "Skript"
