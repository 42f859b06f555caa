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
