"""Reading wiki, process and department pages: content, trust line, lists."""

import pytest
from django.utils import timezone

from home.models import ContentPage, WikiPage
from tests.home.conftest import add_page, rich


@pytest.mark.django_db
def test_wiki_page_shows_content_owner_and_review_state(user_client, wiki_page, user):
    response = user_client.get(wiki_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Meldebescheinigung ausstellen" in html
    assert "Vorgehen im Bürgerbüro" in html
    assert "Anna Schmidt" in html  # owner
    assert "Überprüfung fällig" not in html


@pytest.mark.django_db
def test_process_page_shows_structured_fields(user_client, process_page):
    html = user_client.get(process_page.url).content.decode()
    for text in ["Bundesmeldegesetz", "Termin vereinbaren", "Wie lange dauert es?", "10 Minuten", "Schritte"]:
        assert text in html


@pytest.mark.django_db
def test_department_page_shows_contact_people_and_pages(user_client, buergeramt_page, wiki_page, user, other_user):
    buergeramt_page.phone = "0421 361-1100"
    buergeramt_page.save()
    html = user_client.get(buergeramt_page.url).content.decode()
    assert "0421 361-1100" in html
    assert "Mehmet Yılmaz" in html and "Anna Schmidt" in html
    assert "Meldebescheinigung ausstellen" in html


@pytest.mark.django_db
def test_department_page_shows_the_units_head_and_deputy_from_the_organisation(
    user_client, buergeramt_page, department, user, other_user
):
    """The head and deputy head are the unit's (kept by the directory sync); the page holds no
    copy that could say someone else. A change in the organisation shows at once."""
    html = user_client.get(buergeramt_page.url).content.decode()
    assert "Amtsleitung" not in html.split('id="contact-title"')[1].split("</section>")[0]
    department.head, department.deputy_head = other_user, user
    department.save()
    contact = (
        user_client.get(buergeramt_page.url).content.decode().split('id="contact-title"')[1].split("</section>")[0]
    )
    assert "Amtsleitung" in contact and "Mehmet Yılmaz" in contact
    assert "Stellvertretung" in contact and "Anna Schmidt" in contact
    assert f'href="/personen/{other_user.username}/"' in contact


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_a_pages_head_to_its_unit_where_the_unit_has_none(user, other_user, department):
    """Migration home 0006: a department page's own head becomes its unit's head, unless the unit
    already has one (the directory's wins) or that person is the unit's deputy."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from people.models import Department

    before, after = [("home", "0005_department_collections")], [("home", "0006_department_head_from_the_unit")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        OldPage, OldDepartment = old.get_model("home", "DepartmentPage"), old.get_model("people", "Department")
        bauamt = Department.objects.create(name="Bauamt")
        ordnungsamt = Department.objects.create(name="Ordnungsamt", head=user)
        kasse = Department.objects.create(name="Stadtkasse", deputy_head=other_user)
        # a transactional test may start without the root page and locale (flushed): the rows
        # need no tree around them
        locale, _ = old.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="de")
        content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="home", model="departmentpage"
        )
        for number, (unit, head) in enumerate([(bauamt, user), (ordnungsamt, other_user), (kasse, other_user)]):
            OldPage.objects.create(
                title=unit.name, slug=f"amt-{number}", department=OldDepartment.objects.get(pk=unit.pk),
                head_id=head.pk, path=f"{number + 9000:04d}", depth=1, content_type=content_type, locale=locale,
            )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        heads = dict(
            Department.objects.filter(pk__in=[bauamt.pk, ordnungsamt.pk, kasse.pk]).values_list("name", "head")
        )
        assert heads == {"Bauamt": user.pk, "Ordnungsamt": user.pk, "Stadtkasse": None}
    finally:  # the later migrations back, for the tests after this one
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_pages_know_their_department(wiki_page, buergeramt_page, department):
    child = add_page(wiki_page, WikiPage(title="Unterseite", slug="unterseite", body=rich("x")))
    assert ContentPage.objects.get(pk=child.pk).section_department == department
    assert ContentPage.objects.get(pk=buergeramt_page.pk).section_department == department


def _count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_department_page_costs_the_same_queries_with_more_pages_and_people(
    user_client, buergeramt_page, department, django_assert_max_num_queries
):
    from tests.conftest import make_user

    for number in range(3):
        add_page(buergeramt_page, WikiPage(title=f"Seite {number}", slug=f"seite-{number}", body=rich("x")))
        make_user(f"person.nummer{number}", department=department)
    user_client.get(buergeramt_page.url)  # warm Wagtail's site and content-type caches
    # session, user, MFA check, site, page (specific), restrictions (visible pages), trust (log
    # entry + owner), backlinks, posts linking here, tags, breadcrumbs, watch, edit rights,
    # members, child pages, plus the header's and the microblog's slots
    few = _count_queries(user_client, buergeramt_page.url, django_assert_max_num_queries, 40)
    for number in range(3, 12):
        add_page(buergeramt_page, WikiPage(title=f"Seite {number}", slug=f"seite-{number}", body=rich("x")))
        make_user(f"person.nummer{number}", department=department)
    many = _count_queries(user_client, buergeramt_page.url, django_assert_max_num_queries, few)
    assert many == few, (few, many)
    html = user_client.get(buergeramt_page.url).content.decode()
    assert "Seite 11" in html and "Nummer11" in html


@pytest.mark.django_db
def test_start_page_queries_do_not_grow_with_departments_and_due_pages(
    user_client, user, buergeramt_page, django_assert_max_num_queries
):
    from home.models import ContentPage, DepartmentPage, add_months
    from people.models import Department

    def add_department(number):
        department = Department.objects.create(name=f"Amt {number}")
        section = add_page(
            buergeramt_page.get_parent(),
            DepartmentPage(title=department.name, slug=f"amt-{number}", department=department),
        )
        page = add_page(section, WikiPage(title=f"Fällig {number}", slug="faellig", body=rich("x"), content_owner=user))
        old = add_months(timezone.localdate(), -14)
        ContentPage.objects.filter(pk=page.pk).update(last_reviewed=old, review_due=add_months(old, 12))

    add_department(1)
    user_client.get("/")
    few = _count_queries(user_client, "/", django_assert_max_num_queries, 30)
    for number in range(2, 8):
        add_department(number)
    assert _count_queries(user_client, "/", django_assert_max_num_queries, few) == few
    html = user_client.get("/").content.decode()
    assert "Fällig 7" in html and "Amt 7" in html
