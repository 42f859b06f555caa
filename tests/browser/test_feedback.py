"""Questions and feedback in a real browser (issue 15): a member of staff asks the owner a question
and answers "War das hilfreich?" with No and a comment; the owner finds both on "Meine Seiten",
answers and puts the answer on the page; the reader sees it there."""

import pytest
from playwright.sync_api import expect

from home.models import DepartmentPage, WikiPage
from people.models import Department
from tests.browser.conftest import sign_in
from tests.conftest import ensure_start_page, make_user


def new_page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.django_db(transaction=True)
def test_staff_ask_and_rate_the_owner_answers_from_the_desk(browser, live_server):
    home = ensure_start_page()
    department = Department.objects.create(name="Bürgeramt", short_name="BA")
    section = DepartmentPage(title="Bürgeramt", slug="buergeramt", department=department)
    home.add_child(instance=section)
    section.save_revision().publish()
    owner = make_user("anna.schmidt", department=department, first_name="Anna", last_name="Schmidt")
    reader = make_user("mehmet.yilmaz", department=department, first_name="Mehmet", last_name="Yılmaz")
    wiki = WikiPage(title="Meldebescheinigung ausstellen", slug="meldebescheinigung", content_owner=owner)
    section.add_child(instance=wiki)
    wiki.save_revision().publish()

    # The reader asks a question and says the page was not helpful, with a comment.
    context, page = new_page(browser)
    sign_in(page, live_server, reader)
    page.goto(f"{live_server.url}/buergeramt/meldebescheinigung/")
    page.get_by_label("Ihre Frage an die verantwortliche Person").fill("Gilt das auch für **Nebenwohnungen**?")
    page.get_by_role("button", name="Frage senden").click()
    expect(page.get_by_text("Ihre Frage wurde an die für die Seite verantwortliche Person geschickt")).to_be_visible()
    page.goto(f"{live_server.url}/buergeramt/meldebescheinigung/")
    page.get_by_label("Hinweis an die verantwortliche Person (freiwillig)").fill("Die Gebühr fehlt.")
    page.get_by_role("button", name="Nein", exact=True).click()
    expect(page.get_by_text("Danke für Ihre Rückmeldung!")).to_be_visible()
    expect(page.get_by_text("Sie haben zu dieser Seite schon eine Rückmeldung gegeben")).to_be_visible()
    context.close()

    # The owner sees the numbers on the start page, opens the desk and answers.
    context, page = new_page(browser)
    sign_in(page, live_server, owner)
    page.goto(f"{live_server.url}/")
    desk_card = page.locator("#meine-seiten")
    expect(desk_card).to_contain_text("1 offene Frage")
    expect(desk_card).to_contain_text("Hilfreich: 0 · nicht hilfreich: 1")
    desk_card.get_by_role("link", name="Meine Seiten").click()
    expect(page.locator("#hilfreich")).to_contain_text("Die Gebühr fehlt.")
    page.locator("#fragen").get_by_role("link", name="Gilt das auch für **Nebenwohnungen**?").click()
    page.get_by_label("Ihre Antwort").fill("Ja, für Haupt- und Nebenwohnung.")
    page.get_by_label("Frage und Antwort auf der Seite zeigen (FAQ)").check()
    page.get_by_role("button", name="Antwort speichern").click()
    expect(page.get_by_text("Ihre Antwort ist gespeichert")).to_be_visible()
    page.goto(f"{live_server.url}/wiki/meine-seiten/")
    expect(page.locator("#fragen")).to_contain_text("Keine offenen Fragen.")
    context.close()

    # The reader finds the answer on the page.
    context, page = new_page(browser)
    sign_in(page, live_server, reader)
    page.goto(f"{live_server.url}/buergeramt/meldebescheinigung/")
    faq = page.locator("#faq")
    expect(faq).to_contain_text("Nebenwohnungen")
    expect(faq).to_contain_text("Ja, für Haupt- und Nebenwohnung.")
    context.close()
