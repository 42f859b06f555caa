"""Page models give the search backend what it needs: process fields, tags, owner, filters."""

import pytest

from home.models import ContentPage, ProcessPage, WikiPage
from tests.home.conftest import publish

pytestmark = pytest.mark.search_index


@pytest.mark.django_db
def test_process_fields_are_searchable(process_page):
    assert list(ProcessPage.objects.live().search("Bundesmeldegesetz")) == [process_page.specific]
    assert list(ProcessPage.objects.live().search("Termin")) == [process_page.specific]


@pytest.mark.django_db
def test_tags_and_body_are_searchable_and_department_is_a_filter(
    wiki_page, department, bauamt, django_capture_on_commit_callbacks
):
    wiki_page.tags.add("Meldewesen")
    with django_capture_on_commit_callbacks(execute=True):
        publish(wiki_page)  # the page is indexed again once its tags are stored
    assert [page.pk for page in WikiPage.objects.live().search("Meldewesen")] == [wiki_page.pk]
    assert [page.pk for page in WikiPage.objects.live().search("Bürgerbüro")] == [wiki_page.pk]
    in_department = WikiPage.objects.live().filter(section_department=department).search("Bürgerbüro")
    assert [page.pk for page in in_department] == [wiki_page.pk]
    elsewhere = WikiPage.objects.live().filter(section_department=bauamt).search("Bürgerbüro")
    assert list(elsewhere) == []


@pytest.mark.django_db
def test_review_dates_are_filter_fields(wiki_page):
    fields = {field.field_name for field in ContentPage.get_search_fields()}
    assert {"section_department", "review_due", "last_reviewed", "content_owner"} <= fields
