"""The org chart (/personen/organisation/): the tree of units with head, deputy head, channel,
wiki section and members; and the units' place in the tree, edited in Wagtail's admin."""

import pytest
from bs4 import BeautifulSoup

from home.models import DepartmentPage
from people.models import Department
from posts import actions as post_actions
from tests.conftest import make_user

CHART = "/personen/organisation/"
ADMIN = "/admin/snippets/people/department/"


@pytest.fixture
def tree(db, department, home_page):
    """Dezernat II > Bürgeramt (the `department` fixture) > Sachgebiet Meldewesen, and a
    Stabsstelle at the top; the Bürgeramt has a head, a deputy, a channel and a wiki section."""
    dezernat = Department.objects.create(name="Dezernat II", kind=Department.Kind.DIRECTORATE)
    department.parent = dezernat
    department.head = make_user("bea.boss", department=department, first_name="Bea", last_name="Boss")
    department.deputy_head = make_user("dirk.deputy", department=department, first_name="Dirk", last_name="Deputy")
    department.save()
    meldewesen = Department.objects.create(name="Meldewesen", kind=Department.Kind.SECTION, parent=department)
    make_user("mara.melde", department=meldewesen)
    stab = Department.objects.create(name="Stabsstelle Digitalisierung", kind=Department.Kind.STAFF_UNIT)
    channel = post_actions.channel_for_department(department)
    channel.name = "Bürgeramt-Kanal"
    channel.save()
    section = home_page.add_child(
        instance=DepartmentPage(title="Bürgeramt-Bereich", slug="buergeramt", department=department)
    )
    section.save_revision().publish()
    return {"dezernat": dezernat, "amt": department, "sachgebiet": meldewesen, "stab": stab}


def unit_items(html: str) -> dict:
    """Each unit's <li> in the chart, by the unit's name."""
    soup = BeautifulSoup(html, "html.parser")
    return {item.select_one(".org-unit__name a").get_text(): item for item in soup.select(".org-tree li")}


def test_the_chart_shows_the_tree_with_heads_channel_section_and_members(user_client, user, tree):
    response = user_client.get(CHART)
    assert response.status_code == 200
    units = unit_items(response.content.decode())
    assert list(units) == ["Dezernat II", "Bürgeramt", "Meldewesen", "Stabsstelle Digitalisierung"]
    # Nesting: the Amt inside the Dezernat, the Sachgebiet inside the Amt; the Stabsstelle on top.
    assert units["Bürgeramt"].find_parent("li") is units["Dezernat II"]
    assert units["Meldewesen"].find_parent("li") is units["Bürgeramt"]
    assert units["Stabsstelle Digitalisierung"].find_parent("li") is None
    amt = units["Bürgeramt"].select_one(".org-unit").get_text(" ", strip=True)
    assert "Fachbereich/Amt" in amt and "Leitung Bea Boss" in amt and "Stellvertretung Dirk Deputy" in amt
    assert "3 Personen" in amt  # Anna, Bea and Dirk; Mara belongs to the Sachgebiet
    links = {a.get_text(): a["href"] for a in units["Bürgeramt"].select_one(".org-unit").select("a")}
    assert links["Bea Boss"] == "/personen/bea.boss/"
    assert links["Bürgeramt"] == "/personen/abteilungen/buergeramt/"
    assert links["Bürgeramt-Kanal"] == "/beitraege/kanal/buergeramt/"
    assert links["Bürgeramt-Bereich"] == "/buergeramt/"
    assert "Sachgebiet" in units["Meldewesen"].select_one(".org-unit").get_text()
    assert "1 Person" in units["Meldewesen"].select_one(".org-unit").get_text()


def test_the_chart_asks_visitors_to_sign_in_first(client, tree):
    response = client.get(CHART)
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_the_directory_links_to_the_chart(user_client, user):
    soup = BeautifulSoup(user_client.get("/personen/").content, "html.parser")
    assert soup.find("a", href=CHART).get_text() == "Organigramm"


def test_a_deactivated_head_is_named_without_a_link_and_not_counted(user_client, user, tree):
    tree["amt"].head.is_active = False
    tree["amt"].head.save()
    amt = unit_items(user_client.get(CHART).content.decode())["Bürgeramt"].select_one(".org-unit")
    assert "Bea Boss" in amt.get_text() and not amt.find("a", string="Bea Boss")
    assert "2 Personen" in amt.get_text()


def test_an_unpublished_section_is_not_linked(user_client, user, tree):
    DepartmentPage.objects.get(department=tree["amt"]).unpublish()
    amt = unit_items(user_client.get(CHART).content.decode())["Bürgeramt"].select_one(".org-unit")
    assert not amt.find("a", string="Bürgeramt-Bereich")


def test_units_in_a_cycle_saved_past_the_admin_still_appear_once(user_client, user, tree):
    Department.objects.filter(pk=tree["dezernat"].pk).update(parent=tree["sachgebiet"])
    units = unit_items(user_client.get(CHART).content.decode())
    assert sorted(units) == ["Bürgeramt", "Dezernat II", "Meldewesen", "Stabsstelle Digitalisierung"]


def test_the_chart_costs_the_same_queries_for_few_or_many_units(
    user_client, user, tree, home_page, django_assert_num_queries
):
    def grow(count: int):
        for number in range(count):
            unit = Department.objects.create(
                name=f"Sachgebiet {number}", kind=Department.Kind.SECTION, parent=tree["amt"]
            )
            unit.head = make_user(f"leitung.sg{number}", department=unit)
            unit.save()
            post_actions.channel_for_department(unit)
            page = home_page.add_child(
                instance=DepartmentPage(title=f"SG {number}", slug=f"sg-{number}", department=unit)
            )
            page.save_revision().publish()

    # Every page of the site: the session, its user, the user's and their groups' permissions
    # (the header's admin link), the unread notifications (the header's badge) and the urgent
    # notices (the banner), the mandatory reading still to confirm (the header's "Zu lesen"): 7.
    # The chart: 1 for every unit with its head, deputy head, channel, section page and members
    # count, and 1 for the default site's root (the sections' URLs): 9.
    with django_assert_num_queries(9):
        assert user_client.get(CHART).status_code == 200
    grow(20)
    with django_assert_num_queries(9):
        response = user_client.get(CHART)
    assert len(unit_items(response.content.decode())) == 24


# --- the admin -------------------------------------------------------------------------------


def admin_form(unit: Department, **changes) -> dict:
    form = {
        "name": unit.name,
        "short_name": unit.short_name,
        "slug": unit.slug,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "head": unit.head_id or "",
        "deputy_head": unit.deputy_head_id or "",
    }
    form.update({name: "" if value is None else value for name, value in changes.items()})
    return form


def test_an_administrator_creates_a_unit_beneath_another(admin_client, tree):
    assert admin_client.get(ADMIN).status_code == 200
    assert admin_client.get(f"{ADMIN}edit/{tree['amt'].pk}/").status_code == 200
    form = admin_form(
        Department(name="Sachgebiet Pass", slug="pass", kind=Department.Kind.SECTION), parent=tree["amt"].pk
    )
    response = admin_client.post(f"{ADMIN}add/", form)
    assert response.status_code == 302
    assert Department.objects.get(slug="pass").parent == tree["amt"]


@pytest.mark.parametrize("new_parent", ["dezernat", "amt", "sachgebiet"])
def test_a_unit_cannot_be_placed_beneath_itself(admin_client, tree, new_parent):
    dezernat = tree["dezernat"]
    response = admin_client.post(f"{ADMIN}edit/{dezernat.pk}/", admin_form(dezernat, parent=tree[new_parent].pk))
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [
        "Eine Einheit kann weder sich selbst noch einer ihrer eigenen Untereinheiten angehören."
    ]
    dezernat.refresh_from_db()
    assert dezernat.parent is None


def test_moving_a_unit_elsewhere_in_the_tree_is_allowed(admin_client, tree):
    meldewesen = tree["sachgebiet"]
    response = admin_client.post(f"{ADMIN}edit/{meldewesen.pk}/", admin_form(meldewesen, parent=tree["stab"].pk))
    assert response.status_code == 302
    meldewesen.refresh_from_db()
    assert meldewesen.parent == tree["stab"]


def test_the_deputy_head_cannot_be_the_head(admin_client, tree):
    amt = tree["amt"]
    response = admin_client.post(f"{ADMIN}edit/{amt.pk}/", admin_form(amt, deputy_head=amt.head_id))
    assert response.status_code == 200
    assert response.context["form"].errors["deputy_head"] == [
        "Die stellvertretende Leitung muss eine andere Person sein als die Leitung."
    ]


def test_an_unknown_kind_is_refused(admin_client, tree):
    amt = tree["amt"]
    response = admin_client.post(f"{ADMIN}edit/{amt.pk}/", admin_form(amt, kind="ministry"))
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    amt.refresh_from_db()
    assert amt.kind == Department.Kind.OFFICE


def test_a_unit_with_sub_units_cannot_be_deleted(admin_client, tree):
    response = admin_client.post(f"{ADMIN}delete/{tree['dezernat'].pk}/")
    assert response.status_code in {200, 302, 403}
    assert Department.objects.filter(pk=tree["dezernat"].pk).exists()
    assert Department.objects.get(pk=tree["amt"].pk).parent_id == tree["dezernat"].pk
