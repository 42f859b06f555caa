import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import ContentPage, DepartmentPage, ProcessPage, WikiPage
from people.models import Department, User
from tests.conftest import ensure_start_page, sign_in


def load():
    from home import demo as home_demo
    from people import demo as people_demo

    people_demo.load()
    return home_demo.load()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's people and wiki, loaded once for this module's tests in a transaction rolled
    back at its end (each test runs in a savepoint inside it; a load is most of a test's time)."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_start_page()  # a transactional test run before (one worker) flushed the migrations' start page
        result = load()
        yield result
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_wiki_has_a_section_per_department_with_pages_and_runs_again_without_duplicates(demo):
    result = demo
    assert result["pages_created"] > 20
    assert DepartmentPage.objects.count() == Department.objects.count()
    for section in DepartmentPage.objects.all():
        assert ContentPage.objects.descendant_of(section).count() >= 2, section.title
    assert ProcessPage.objects.count() >= 8 and WikiPage.objects.count() >= 10
    assert ContentPage.objects.filter(review_due__lte=timezone.localdate()).count() >= 5
    assert PageViewRestriction.objects.filter(restriction_type=PageViewRestriction.GROUPS).count() >= 2
    counts = (ContentPage.objects.count(), Group.objects.count(), PageViewRestriction.objects.count())

    assert load()["pages_created"] == 0
    assert (ContentPage.objects.count(), Group.objects.count(), PageViewRestriction.objects.count()) == counts


@pytest.mark.django_db
def test_demo_editors_are_in_their_groups_and_a_reader_sees_the_start_page(demo):
    klaus = User.objects.get(username="klaus.hoffmann")
    assert klaus.groups.filter(name="Redaktion Bauamt").exists()
    assert User.objects.get(username="ulrike.friedrich").groups.filter(name="Redaktion").exists()
    bauamt = DepartmentPage.objects.get(department__name="Bauamt")
    buergeramt = DepartmentPage.objects.get(department__name="Bürgeramt")
    assert bauamt.permissions_for_user(klaus).can_edit()
    assert not buergeramt.permissions_for_user(User.objects.get(pk=klaus.pk)).can_edit()

    client = Client()
    sign_in(client, User.objects.get(username="anna.schmidt"))
    html = client.get("/").content.decode()
    assert "Bauamt" in html
    assert client.get(bauamt.url).status_code == 200
    restricted = WikiPage.objects.get(title="Dienstvereinbarung Mobiles Arbeiten (Entwurf)")
    assert client.get(restricted.url).status_code == 404


@pytest.mark.django_db
def test_demo_has_one_page_of_mandatory_reading_half_confirmed(demo):
    from home.models import ReadingConfirmation, ReadingRequirement
    from home.reading_selectors import department_counts

    requirement = ReadingRequirement.objects.get()
    assert requirement.all_staff and requirement.service_instruction and requirement.is_active
    counts = department_counts(requirement=requirement)
    asked = sum(row.addressed for row in counts)
    confirmed = sum(row.confirmed for row in counts)
    assert asked >= 10 and abs(asked - 2 * confirmed) <= 2  # about half
    assert ReadingConfirmation.objects.count() == confirmed
    anna = User.objects.get(username="anna.schmidt")
    assert not ReadingConfirmation.objects.filter(user=anna).exists()
    load()  # again: nothing twice
    assert ReadingConfirmation.objects.count() == confirmed
