"""One member of staff posts with a mention; the colleague sees the notification, opens it and
replies; the author sees the reply."""

import pytest
from playwright.sync_api import expect

from posts import actions
from tests.browser.conftest import sign_in
from tests.conftest import make_user


@pytest.mark.django_db(transaction=True)
def test_mention_notification_and_reply(browser, live_server, staff, department):
    actions.general_channel()
    colleague = make_user("mehmet.yilmaz", department=department, first_name="Mehmet", last_name="Yılmaz")

    anna = browser.new_context(locale="de-DE").new_page()
    sign_in(anna, live_server, staff)
    anna.goto(f"{live_server.url}/beitraege/")
    anna.get_by_label("Ihr Beitrag").fill("Kannst du die neuen #Öffnungszeiten prüfen, @mehmet.yilmaz?")
    anna.get_by_role("button", name="Veröffentlichen").click()
    anna.wait_for_url(f"{live_server.url}/beitraege/")
    expect(anna.get_by_role("link", name="#Öffnungszeiten").first).to_be_visible()
    anna.context.close()

    mehmet = browser.new_context(locale="de-DE").new_page()
    sign_in(mehmet, live_server, colleague)
    inbox_link = mehmet.get_by_role("link", name="Benachrichtigungen")
    assert "1" in inbox_link.inner_text()
    inbox_link.click()
    mehmet.get_by_role("link", name="Anna Schmidt hat Sie in einem Beitrag erwähnt").click()
    mehmet.get_by_label("Ihre Antwort").fill("Mache ich heute noch, danke @anna.schmidt!")
    mehmet.get_by_role("button", name="Antworten").click()
    expect(mehmet.get_by_text("Mache ich heute noch")).to_be_visible()
    assert "1" not in mehmet.get_by_role("link", name="Benachrichtigungen").inner_text()
    mehmet.context.close()

    anna = browser.new_context(locale="de-DE").new_page()
    sign_in(anna, live_server, staff)
    anna.get_by_role("link", name="Benachrichtigungen").click()
    anna.get_by_role("link", name="Mehmet Yılmaz hat Sie in einem Beitrag erwähnt").click()
    expect(anna.get_by_text("Mache ich heute noch")).to_be_visible()
    anna.context.close()


@pytest.mark.django_db(transaction=True)
def test_load_older_posts_without_reload(page, live_server, staff):
    general = actions.general_channel()
    for i in range(25):
        actions.create_post(author=staff, channel=general, text=f"Beitrag Nummer {i}", check_limits=False)
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/beitraege/")
    expect(page.locator("article.post")).to_have_count(20)
    page.get_by_role("link", name="Ältere laden").click()
    expect(page.locator("article.post")).to_have_count(25)  # no eval: the CSP forbids it
    assert page.url == f"{live_server.url}/beitraege/"
    expect(page.get_by_text("Beitrag Nummer 0", exact=True)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_urgent_banner_until_acknowledged(page, live_server, staff):
    from django.contrib.auth.models import Group, Permission

    crisis = make_user("stephanie.mayer", first_name="Stephanie", last_name="Mayer")
    group = Group.objects.create(name="Krisenstab")
    group.permissions.add(Permission.objects.get(codename="publish_urgent"))
    crisis.groups.add(group)
    actions.publish_urgent(author=crisis, text="Sturmwarnung: Rathaus schließt um 14 Uhr")
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/personen/")
    banner = page.get_by_role("region", name="Eilmeldung")
    assert "Sturmwarnung" in banner.inner_text()
    banner.get_by_role("button", name="Zur Kenntnis genommen").click()
    page.wait_for_url(f"{live_server.url}/personen/")
    expect(page.get_by_text("Sturmwarnung")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_mention_suggestions_in_the_post_box_say_who_is_away(page, live_server, staff, department):
    """Typing "@meh" offers Mehmet with "abwesend bis …, vertreten durch …"; the keyboard picks him,
    the mouse picks his stand-in, and the post then mentions both."""
    import datetime

    from django.utils import timezone

    from people.models import Absence

    actions.general_channel()
    colleague = make_user("mehmet.yilmaz", department=department, first_name="Mehmet", last_name="Yılmaz")
    deputy = make_user("jana.berg", department=department, first_name="Jana", last_name="Berg")
    ends = timezone.localdate() + datetime.timedelta(days=5)
    Absence.objects.create(user=colleague, starts_on=timezone.localdate(), ends_on=ends, deputy=deputy)

    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/beitraege/schreiben/")
    box = page.get_by_role("combobox", name="Ihr Beitrag")
    box.click()
    box.press_sequentially("Bitte an @meh")
    option = page.get_by_role("option", name="Mehmet Yılmaz")
    expect(option).to_contain_text(f"abwesend bis {ends:%d.%m.%Y}, vertreten durch Jana Berg")
    expect(page.get_by_role("status")).to_contain_text("1 Person vorgeschlagen")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")
    expect(box).to_have_value("Bitte an @mehmet.yilmaz ")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("und @jan")
    expect(page.get_by_role("option", name="Jana Berg")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox", name="Personen zum Erwähnen")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("a")
    page.get_by_role("option", name="Jana Berg").click()  # the mouse inserts too
    expect(box).to_have_value("Bitte an @mehmet.yilmaz und @jana.berg ")
    box.press_sequentially("senden")
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(f"{live_server.url}/beitraege/")
    expect(page.get_by_role("link", name="@mehmet.yilmaz").first).to_be_visible()
    assert colleague.notifications.count() == 1
    assert deputy.notifications.count() == 1


@pytest.mark.django_db(transaction=True)
def test_typing_before_the_mention_script_has_loaded_keeps_focus_and_text(page, live_server, staff):
    """On a slow connection someone starts typing before mention.js has run. Turning the box into
    a combobox must not take the focus away (CI once lost a whole reply this way: the script moved
    the textarea in the page while Playwright typed, and an empty reply was sent)."""
    actions.general_channel()
    held = []
    page.route("**/posts/mention.js*", lambda route: held.append(route))  # answered when the test says
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/beitraege/schreiben/", wait_until="commit")
    box = page.get_by_label("Ihr Beitrag")
    box.click()
    page.keyboard.type("Erster Teil")
    page.wait_for_function("() => true")  # let the held request reach the route handler
    assert held, "the page did not ask for mention.js"
    held[0].continue_()
    expect(box).to_have_attribute("role", "combobox")
    page.keyboard.type(", zweiter Teil")
    expect(box).to_have_value("Erster Teil, zweiter Teil")
    expect(box).to_be_focused()
