"""Wagtail's admin works under its Content Security Policy (intranet.middleware): an editor's
everyday pages load and run without a single violation of the policy."""

import pytest
from django.contrib.auth.models import Group

from home.models import DepartmentPage
from people.models import Department
from tests.browser.conftest import sign_in
from tests.conftest import activate_totp, ensure_start_page, make_user


@pytest.mark.django_db(transaction=True)
def test_the_editors_admin_pages_run_without_policy_violations(page, live_server):
    home = ensure_start_page()
    bauamt = Department.objects.create(name="Bauamt", short_name="BauA")
    section = DepartmentPage(title="Bauamt", slug="bauamt", department=bauamt)
    home.add_child(instance=section)
    section.save_revision().publish()  # sets up "Redaktion Bauamt"
    editor = make_user("klaus.hoffmann", department=bauamt, first_name="Klaus", last_name="Hoffmann")
    editor.groups.add(Group.objects.get(name="Redaktion Bauamt"))
    secret = activate_totp(editor)

    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    sign_in(page, live_server, editor, totp_secret=secret)
    for path in [
        "/admin/",
        f"/admin/pages/{section.pk}/",
        f"/admin/pages/{section.pk}/edit/",
        f"/admin/pages/add/home/wikipage/{section.pk}/",
        "/admin/documents/",
        "/admin/images/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self' 'unsafe-inline'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # the editor's own scripts ran: the page editor's title field is wired up by Wagtail's Stimulus app
    assert page.evaluate("() => !!(window.wagtail && window.wagtail.app)")
    assert violations == []
