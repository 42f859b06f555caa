"""Mandatory reading addressed to a unit or group reaches the stand-in of an absent member
(issue 16, point 2): the stand-in is told once, "In Vertretung für …", per absent person,
version and stand-in; the absent person still confirms themselves and is reminded after
returning. Stand-ins who are absent too, or who may not see the page, are left out."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home import reading_selectors
from home.models import ReadingDeputyNotice, ReadingRequirement, WikiPage
from people.models import Absence, Notification
from tests.conftest import make_user, sign_in
from tests.home.conftest import add_page, publish, rich


def make_mandatory(page, *, departments=(), groups=(), all_staff=False):
    page.reading_required = True
    page.reading_all_staff = all_staff
    page.reading_departments = list(departments)
    page.reading_groups = list(groups)
    return publish(page)


def away(user, *, deputy=None, days=5):
    today = timezone.localdate()
    return Absence.objects.create(
        user=user, starts_on=today, ends_on=today + datetime.timedelta(days=days), deputy=deputy
    )


def reading_items(user):
    return list(Notification.objects.filter(recipient=user, kind=Notification.Kind.READING_DUE).order_by("pk"))


def run_job():
    call_command("notify_review_due", stdout=io.StringIO())


@pytest.fixture
def rule(buergeramt_page, department):
    page = add_page(
        buergeramt_page, WikiPage(title="Datenschutz am Schalter", slug="datenschutz", body=rich("Bildschirm sperren"))
    )
    return make_mandatory(page, departments=[department])


@pytest.fixture
def colleague(bauamt):
    """Someone outside the Bürgeramt, so not asked by the rule: what they get is only the stand-in's."""
    return make_user("petra.lang", department=bauamt, first_name="Petra", last_name="Lang")


@pytest.mark.django_db
def test_the_stand_in_is_told_once_and_the_absent_person_is_reminded_after_returning(rule, user, other_user, colleague):
    away(user, deputy=colleague)
    run_job()
    run_job()  # the daily job again: nothing twice

    assert reading_items(user) == []  # the absent person is not reminded while away
    [told] = reading_items(colleague)
    assert told.verb.startswith("In Vertretung für Anna Schmidt:")
    assert "Datenschutz am Schalter" in told.verb and told.url == rule.url
    assert ReadingDeputyNotice.objects.filter(absent=user, deputy=colleague).count() == 1
    assert len(reading_items(other_user)) == 1  # present colleagues as before

    # the stand-in does not confirm for them: the absent person's list still has it
    response = sign_in(Client(), colleague).get("/zu-lesen/")
    assert response.context["items"] == []
    assert [item.title for item in reading_selectors.reading_list(user=user)] == ["Datenschutz am Schalter"]

    Absence.objects.all().delete()  # back
    run_job()
    assert len(reading_items(user)) == 1
    assert len(reading_items(colleague)) == 1  # nothing more for the stand-in


@pytest.mark.django_db
def test_a_new_version_tells_the_stand_in_again(rule, user, colleague):
    away(user, deputy=colleague)
    run_job()
    ReadingRequirement.objects.filter(object_id=rule.pk).update(version=2)
    run_job()
    run_job()
    assert len(reading_items(colleague)) == 2


@pytest.mark.django_db
def test_without_a_stand_in_nothing_extra_is_sent_and_the_units_deputy_head_stands_in(
    rule, user, other_user, department, colleague
):
    away(user)  # no deputy named, no standing deputy, the unit has no head
    run_job()
    assert not ReadingDeputyNotice.objects.exists()
    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {other_user.pk}

    department.deputy_head = colleague  # the unit's default stand-in
    department.save()
    run_job()
    run_job()
    [told] = reading_items(colleague)
    assert told.verb.startswith("In Vertretung für Anna Schmidt:")


@pytest.mark.django_db
def test_a_stand_in_who_is_absent_too_is_skipped(rule, user, other_user, colleague):
    away(user, deputy=colleague)
    away(colleague, days=2)
    run_job()
    assert reading_items(colleague) == [] and not ReadingDeputyNotice.objects.exists()
    # the stand-in is back, the colleague still away: told on the next run
    Absence.objects.filter(user=colleague).delete()
    run_job()
    assert len(reading_items(colleague)) == 1


@pytest.mark.django_db
def test_one_stand_in_for_two_absent_people_gets_one_item_naming_both(rule, user, other_user, colleague):
    away(user, deputy=colleague)
    away(other_user, deputy=colleague)
    run_job()
    [told] = reading_items(colleague)
    assert told.verb.startswith("In Vertretung für Anna Schmidt, Mehmet Yılmaz:")
    assert ReadingDeputyNotice.objects.filter(deputy=colleague).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("stand_in_may_see", [False, True])
def test_a_restricted_page_reaches_only_a_stand_in_who_may_see_it(buergeramt_page, user, colleague, stand_in_may_see):
    personalrat = Group.objects.create(name="Personalrat")
    user.groups.add(personalrat)
    if stand_in_may_see:
        colleague.groups.add(personalrat)
    page = add_page(buergeramt_page, WikiPage(title="Protokoll Personalrat", slug="pr", body=rich("Text")))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(personalrat)
    make_mandatory(page, groups=[personalrat])
    away(user, deputy=colleague)
    run_job()
    told = [item for item in reading_items(colleague) if item.verb.startswith("In Vertretung für Anna Schmidt")]
    if stand_in_may_see:  # (a member of the group is asked themselves as well)
        assert len(told) == 1 and "Protokoll Personalrat" in told[0].verb
    else:
        assert told == []
        assert not Notification.objects.filter(verb__contains="Protokoll Personalrat").exists()


@pytest.mark.django_db
def test_erasing_a_person_deletes_the_stand_in_records(rule, user, colleague, admin_user):
    from people.privacy import erase_person

    away(user, deputy=colleague)
    run_job()
    assert ReadingDeputyNotice.objects.exists()
    erase_person(user=colleague, by=admin_user, keep_posts=True)
    assert not ReadingDeputyNotice.objects.exists()
