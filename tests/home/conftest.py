"""A small city: the start page, two department sections (Bürgeramt, Bauamt) with editor groups,
the central Redaktion, and helpers to create and publish pages as an editor would."""

import pytest
from django.contrib.auth.models import Group

from home import actions
from home.models import DepartmentPage, ProcessPage, WikiPage
from people.models import Department
from tests.conftest import make_group_member


def publish(page, user=None):
    """Saves a revision and publishes it, as the Wagtail editor does (audit log, signals)."""
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def add_page(parent, page, user=None):
    parent.add_child(instance=page)
    return publish(page, user)


def rich(text: str) -> list:
    return [("paragraph", f"<p>{text}</p>")]


def edit_data(page, **overrides):
    """The Wagtail edit form's data for a wiki page (StreamField body left empty)."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "body-count": "0",
        "review_interval_months": "12",
        "content_owner": "",
        "tags": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def bauamt(db) -> Department:
    return Department.objects.create(name="Bauamt", short_name="BauA")


@pytest.fixture
def buergeramt_page(home_page, department) -> DepartmentPage:
    page = add_page(home_page, DepartmentPage(title="Bürgeramt", slug="buergeramt", department=department))
    return page


@pytest.fixture
def bauamt_page(home_page, bauamt) -> DepartmentPage:
    return add_page(home_page, DepartmentPage(title="Bauamt", slug="bauamt", department=bauamt))


@pytest.fixture
def wiki_page(buergeramt_page, user) -> WikiPage:
    return add_page(
        buergeramt_page,
        WikiPage(
            title="Meldebescheinigung ausstellen",
            slug="meldebescheinigung",
            body=rich("Vorgehen im Bürgerbüro"),
            content_owner=user,
        ),
    )


@pytest.fixture
def process_page(buergeramt_page, user) -> ProcessPage:
    return add_page(
        buergeramt_page,
        ProcessPage(
            title="Wohnsitz anmelden",
            slug="wohnsitz-anmelden",
            purpose="Anmeldung einer neuen Wohnung nach dem Bundesmeldegesetz.",
            legal_basis="<p>§ 17 Bundesmeldegesetz</p>",
            steps=[("step", {"title": "Termin vereinbaren", "description": "<p>Online oder telefonisch</p>"})],
            faq=[("question", {"question": "Wie lange dauert es?", "answer": "<p>Zehn Minuten.</p>"})],
            typical_duration="10 Minuten",
            content_owner=user,
        ),
    )


@pytest.fixture
def redaktion(db) -> Group:
    return actions.ensure_central_editors_group()


@pytest.fixture
def bauamt_editor(bauamt, bauamt_page):
    group = actions.sync_department_permissions(department_page=bauamt_page)
    return make_group_member("klaus.hoffmann", group, department=bauamt, first_name="Klaus", last_name="Hoffmann")


@pytest.fixture
def central_editor(redaktion, department):
    """In the Redaktion, with its Wagtail page permissions on the start page (``redaktion``)."""
    return make_group_member(
        "ulrike.friedrich", redaktion, department=department, first_name="Ulrike", last_name="Friedrich"
    )
