"""Keyboard cost of the start page: how many Tab presses from the top of the page to the first
action (the first reaction button) of the first post, and how many tab stops one post costs.
Measured with real key presses in Chromium; the figures are in the test's output (-s) and the
assertions keep them down (issue #17: ~12 stops per post, 30+ tabs to the first post's actions)."""

import pytest
from playwright.sync_api import expect

from home.models import DepartmentPage
from people.models import Department
from posts import actions
from tests.browser.conftest import sign_in
from tests.conftest import make_user
from tests.home.conftest import add_page

MAX_PRESSES = 200


def _setup(staff, department):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page.specific
    for index in range(12):  # a city administration has a dozen departments and more
        unit = department if index == 0 else Department.objects.create(name=f"Amt {index}", short_name=f"A{index}")
        add_page(home, DepartmentPage(title=unit.name, slug=f"amt-{index}", department=unit))
    general = actions.general_channel()
    colleague = make_user("mehmet.yilmaz", department=department, first_name="Mehmet", last_name="Yılmaz")
    for number in range(3):
        actions.create_post(
            author=colleague,
            channel=general,
            text=f"Neue Öffnungszeiten {number} im #Bürgerbüro ab Montag, siehe #Service",
            check_limits=False,
        )


def measure(page):
    """(Tab presses to the first post's first reaction button, tab stops inside that post)."""
    first_post = page.locator("main article.post").first
    first_action = first_post.locator(".post__reactions button").first
    presses, inside, reached = 0, 0, None
    while presses < MAX_PRESSES:
        page.keyboard.press("Tab")
        presses += 1
        in_post = first_post.locator(":focus").count() > 0
        if in_post:
            inside += 1
        if reached is None and first_action.and_(page.locator(":focus")).count() > 0:
            reached = presses
        if inside and not in_post:
            break
    return reached, inside


@pytest.mark.django_db(transaction=True)
def test_first_post_action_is_few_tabs_away_and_a_post_costs_few_stops(page, live_server, staff, department):
    _setup(staff, department)
    sign_in(page, live_server, staff)
    page.goto(f"{live_server.url}/")
    expect(page.locator("main article.post").first).to_be_visible()
    to_first_action, per_post = measure(page)
    print(f"\nTab presses to the first post's first action: {to_first_action}; tab stops in one post: {per_post}")
    assert to_first_action is not None
    assert to_first_action <= 22
    assert per_post <= 7
