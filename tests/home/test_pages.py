"""Reading wiki, process and department pages: content, trust line, lists."""

import pytest

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
