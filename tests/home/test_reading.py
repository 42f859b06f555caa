"""Mandatory reading (Pflichtlektüre) of wiki pages: an editor marks a page in Wagtail's editor,
staff see it in "Zu lesen" and on the page and confirm, the author sees the counts per
department, reminders go out once, and per-person confirmations are deleted after the retention
period while the counts stay (issue 15, point 1)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry

from home import actions
from home.models import ReadingConfirmation, ReadingRequirement, ReadingTally, WikiPage
from people.models import Absence, Department, Notification
from tests.conftest import make_group_member, make_user, sign_in
from tests.home.conftest import add_page, edit_data, publish, rich


def client_for(user) -> Client:
    return sign_in(Client(), user)


@pytest.fixture
def team(department):
    """A sub-unit of the Bürgeramt: a requirement for the Bürgeramt reaches it."""
    return Department.objects.create(name="Team Meldewesen", parent=department)


@pytest.fixture
def clerk(team):
    return make_user("jonas.weber", department=team, first_name="Jonas", last_name="Weber")


@pytest.fixture
def outsider(bauamt):
    return make_user("petra.lang", department=bauamt, first_name="Petra", last_name="Lang")


@pytest.fixture
def owner(department):
    return make_user("olga.owner", department=department, first_name="Olga", last_name="Owner")


@pytest.fixture
def section_editor(buergeramt_page, department):
    group = actions.sync_department_permissions(department_page=buergeramt_page)
    return make_group_member("erik.editor", group, department=department, first_name="Erik", last_name="Editor")


def make_mandatory(page, *, departments=(), groups=(), all_staff=False, due=None, instruction=False, user=None):
    page.reading_required = True
    page.reading_all_staff = all_staff
    page.reading_departments = list(departments)
    page.reading_groups = list(groups)
    page.reading_due = due
    page.service_instruction = instruction
    return publish(page, user)


@pytest.fixture
def rule(buergeramt_page, department, owner):
    """A page of mandatory reading for the Bürgeramt (and its sub-units)."""
    page = add_page(
        buergeramt_page,
        WikiPage(
            title="Datenschutz am Schalter", slug="datenschutz", body=rich("Bildschirm sperren"), content_owner=owner
        ),
    )
    return make_mandatory(page, departments=[department])


def requirement_of(page) -> ReadingRequirement:
    return ReadingRequirement.objects.get(object_id=page.pk)


# --- the editor: Wagtail's page editor ------------------------------------------------------------
@pytest.mark.django_db
def test_editor_marks_a_page_as_mandatory_reading_in_the_page_editor_and_it_is_logged(
    section_editor, wiki_page, department, team
):
    client = client_for(section_editor)
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(
        f"/admin/pages/{wiki_page.pk}/edit/",
        edit_data(
            wiki_page,
            reading_required="on",
            reading_departments=[department.pk],
            reading_due=due.isoformat(),
            **{"action-publish": "1"},
        ),
    )
    assert response.status_code == 302
    requirement = requirement_of(wiki_page)
    assert requirement.is_active and requirement.due_date == due and requirement.version == 1
    assert list(requirement.departments.all()) == [department]
    assert requirement.requested_by == section_editor
    entry = PageLogEntry.objects.get(page=wiki_page, action=actions.READING_SET_ACTION)
    assert entry.user == section_editor and entry.data["departments"] == ["Bürgeramt"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"reading_required": "on"}, "reading_required"),  # nobody chosen
        ({"reading_required": "on", "reading_all_staff": "on", "reading_due": "2001-01-01"}, "reading_due"),
        ({"reading_required": "on", "reading_all_staff": "on", "reading_due": "31.02.2030"}, "reading_due"),
        ({"reading_required": "on", "reading_departments": ["999999"]}, "reading_departments"),
        ({"reading_required": "on", "reading_groups": ["abc"]}, "reading_groups"),
    ],
)
def test_bad_mandatory_reading_settings_are_refused_in_the_editor_and_change_nothing(
    section_editor, wiki_page, fields, error_field
):
    client = client_for(section_editor)
    response = client.post(
        f"/admin/pages/{wiki_page.pk}/edit/", edit_data(wiki_page, title="Neu", **fields, **{"action-publish": "1"})
    )
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    wiki_page.refresh_from_db()
    assert wiki_page.title == "Meldebescheinigung ausstellen" and not wiki_page.reading_required
    assert not ReadingRequirement.objects.exists()


@pytest.mark.django_db
def test_ending_mandatory_reading_in_the_editor_takes_it_off_everyones_list(section_editor, rule, user):
    assert client_for(user).get("/zu-lesen/").context["items"]
    response = client_for(section_editor).post(
        f"/admin/pages/{rule.pk}/edit/", edit_data(rule, **{"action-publish": "1"})
    )
    assert response.status_code == 302
    assert not requirement_of(rule).is_active
    assert client_for(user).get("/zu-lesen/").context["items"] == []
    assert PageLogEntry.objects.filter(page=rule, action=actions.READING_ENDED_ACTION).exists()


# --- staff: "Zu lesen", the banner, "Gelesen und verstanden" ----------------------------------------
@pytest.mark.django_db
def test_staff_see_the_page_in_their_list_and_navigation_and_confirm_it_on_the_page(rule, user, clerk):
    for person in (user, clerk):  # the Bürgeramt and its sub-unit
        client = client_for(person)
        home = client.get("/")
        assert home.context["reading_count"]() == 1
        assert 'href="/zu-lesen/"' in home.content.decode()
        listed = client.get("/zu-lesen/")
        assert [item.title for item in listed.context["items"]] == ["Datenschutz am Schalter"]
        page = client.get(rule.url)
        assert "Gelesen und verstanden" in page.content.decode() or "Read and understood" in page.content.decode()
        response = client.post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/", {"next": rule.url})
        assert response.status_code == 302 and response["Location"] == rule.url
        assert client.get("/").context["reading_count"]() == 0
        assert client.get("/zu-lesen/").context["items"] == []
        assert client.get(rule.url).context["reading"].confirmed_at is not None
    assert ReadingConfirmation.objects.count() == 2


@pytest.mark.django_db
def test_confirming_twice_changes_nothing(rule, user):
    client = client_for(user)
    url = f"/zu-lesen/{requirement_of(rule).pk}/gelesen/"
    client.post(url)
    first = ReadingConfirmation.objects.get()
    assert client.post(url).status_code == 302
    assert ReadingConfirmation.objects.get() == first
    assert sum(ReadingTally.objects.values_list("count", flat=True)) == 1


@pytest.mark.django_db
def test_confirming_what_does_not_ask_you_is_not_found(rule, outsider, user):
    client = client_for(outsider)
    requirement = requirement_of(rule)
    assert client.post(f"/zu-lesen/{requirement.pk}/gelesen/").status_code == 404
    assert client.post("/zu-lesen/999999/gelesen/").status_code == 404
    assert client.post(f"/zu-lesen/{2**60}/gelesen/").status_code == 404
    assert client.get(f"/zu-lesen/{requirement.pk}/gelesen/").status_code == 405
    assert client.get(rule.url).context["reading"] is None  # no banner for someone not asked
    assert client.get("/zu-lesen/").context["items"] == []
    assert not ReadingConfirmation.objects.exists()
    # an inactive account (a leaver) is asked no more
    user.is_active = False
    user.save()
    with pytest.raises(actions.NotAddressed):
        actions.confirm_reading(requirement=requirement, user=user)


@pytest.mark.django_db
def test_confirm_redirects_only_to_this_site(rule, user):
    response = client_for(user).post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/", {"next": "https://evil.test/"})
    assert response["Location"] == rule.url


@pytest.mark.django_db
def test_groups_and_the_whole_administration_are_asked(buergeramt_page, outsider, user):
    from django.contrib.auth.models import Group

    personalrat = Group.objects.create(name="Personalrat")
    outsider.groups.add(personalrat)
    page = add_page(buergeramt_page, WikiPage(title="Dienstvereinbarung", slug="dv", body=rich("Text")))
    make_mandatory(page, groups=[personalrat])
    assert [i.object_id for i in client_for(outsider).get("/zu-lesen/").context["items"]] == [page.pk]
    assert client_for(user).get("/zu-lesen/").context["items"] == []
    make_mandatory(page, all_staff=True)
    assert [i.object_id for i in client_for(user).get("/zu-lesen/").context["items"]] == [page.pk]


@pytest.mark.django_db
def test_a_page_restricted_to_a_group_asks_only_its_members_whoever_the_editor_named(
    buergeramt_page, outsider, user, owner
):
    """A Personalrat page made mandatory for the whole administration: only the Personalrat's
    members are asked, counted and reminded; for everyone else it does not exist (no title in
    "Zu lesen", confirming answers 404), as the page itself answers 404."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    personalrat = Group.objects.create(name="Personalrat")
    outsider.groups.add(personalrat)
    page = add_page(
        buergeramt_page, WikiPage(title="Protokoll Personalrat", slug="pr", body=rich("Text"), content_owner=owner)
    )
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(personalrat)
    make_mandatory(page, all_staff=True)
    requirement = requirement_of(page)
    assert [i.title for i in client_for(outsider).get("/zu-lesen/").context["items"]] == ["Protokoll Personalrat"]
    reader = client_for(user)
    assert reader.get("/zu-lesen/").context["items"] == []
    assert "Protokoll Personalrat" not in reader.get("/zu-lesen/").content.decode()
    assert reader.post(f"/zu-lesen/{requirement.pk}/gelesen/").status_code == 404
    from home import reading_selectors

    asked = set(reading_selectors.audience(requirement).values_list("user__username", flat=True))
    assert asked == {outsider.username}
    actions.remind_reading()
    assert not Notification.objects.filter(recipient=user, kind=Notification.Kind.READING_DUE).exists()
    assert Notification.objects.filter(recipient=outsider, kind=Notification.Kind.READING_DUE).count() == 1


# --- new versions ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_substantial_change_asks_everyone_again_a_minor_edit_does_not(section_editor, rule, user, department):
    client = client_for(user)
    client.post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/")
    editor = client_for(section_editor)
    settings_kept = {"reading_required": "on", "reading_departments": [department.pk], "action-publish": "1"}
    editor.post(f"/admin/pages/{rule.pk}/edit/", edit_data(rule, title="Datenschutz (Tippfehler)", **settings_kept))
    assert requirement_of(rule).version == 1
    assert client.get("/zu-lesen/").context["items"] == []

    editor.post(
        f"/admin/pages/{rule.pk}/edit/",
        edit_data(rule, title="Datenschutz (neu)", substantial_change="on", **settings_kept),
    )
    requirement = requirement_of(rule)
    assert requirement.version == 2
    assert [item.title for item in client.get("/zu-lesen/").context["items"]] == ["Datenschutz (neu)"]
    assert PageLogEntry.objects.filter(page=rule, action=actions.READING_NEW_VERSION_ACTION).count() == 1
    # the next edit's form starts unticked: a later minor edit keeps version 2
    assert editor.get(f"/admin/pages/{rule.pk}/edit/").context["form"]["substantial_change"].value() in (None, False)
    editor.post(f"/admin/pages/{rule.pk}/edit/", edit_data(rule, title="Datenschutz (neu).", **settings_kept))
    assert requirement_of(rule).version == 2


# --- what the author sees ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_owner_sees_counts_per_department_and_nobody_else_does(rule, owner, user, other_user, clerk, outsider):
    client_for(user).post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/")
    client = client_for(owner)
    page = client.get(rule.url)
    status_url = f"/zu-lesen/{requirement_of(rule).pk}/stand/"
    assert status_url in page.content.decode()
    response = client.get(status_url)
    counts = {row.name: (row.addressed, row.confirmed, row.open) for row in response.context["counts"]}
    # Bürgeramt: owner, anna, mehmet (3 asked, 1 confirmed); its sub-unit: jonas
    assert counts == {"Bürgeramt": (3, 1, 2), "Team Meldewesen": (1, 0, 1)}
    assert response.context["people"] is None  # not a Dienstanweisung: no names
    assert "Schmidt" not in response.content.decode()
    for person in (user, outsider):
        assert client_for(person).get(status_url).status_code == 404


@pytest.mark.django_db
def test_a_service_instruction_shows_who_has_not_confirmed_to_owner_section_editors_and_admins_only(
    rule, owner, user, other_user, section_editor, central_editor, admin_user
):
    make_mandatory(rule, departments=rule.reading_departments.all(), instruction=True, user=section_editor)
    assert PageLogEntry.objects.get(page=rule, action=actions.SERVICE_INSTRUCTION_ACTION).data == {"on": True}
    client_for(user).post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/")
    status_url = f"/zu-lesen/{requirement_of(rule).pk}/stand/"
    for person in (owner, section_editor, admin_user):
        names = [str(profile.user) for profile in client_for(person).get(status_url).context["people"]]
        assert "Mehmet Yılmaz" in names and "Anna Schmidt" not in names
    # the Redaktion sees the counts, not the names
    response = client_for(central_editor).get(status_url)
    assert response.status_code == 200 and response.context["people"] is None
    assert client_for(other_user).get(status_url).status_code == 404


# --- reminders and the digest ------------------------------------------------------------------------
@pytest.mark.django_db
def test_reminders_go_once_not_to_leavers_nor_the_absent_and_reach_the_digest(rule, user, other_user, clerk, owner):
    today = timezone.localdate()
    Absence.objects.create(user=clerk, starts_on=today, ends_on=today + datetime.timedelta(days=3))
    owner.is_active = False
    owner.save()
    client_for(other_user).post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/")

    call_command("notify_review_due", stdout=io.StringIO())
    reminded = set(Notification.objects.filter(kind=Notification.Kind.READING_DUE).values_list("recipient", flat=True))
    assert reminded == {user.pk}
    call_command("notify_review_due", stdout=io.StringIO())
    assert Notification.objects.filter(kind=Notification.Kind.READING_DUE).count() == 1

    mail.outbox.clear()
    call_command("send_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert "Datenschutz am Schalter" in mail.outbox[0].body
    call_command("notify_review_due", stdout=io.StringIO())
    call_command("send_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # nothing twice

    # back from absence: reminded on the next run
    Absence.objects.all().delete()
    actions.remind_reading()
    assert Notification.objects.filter(kind=Notification.Kind.READING_DUE, recipient=clerk).count() == 1


# --- retention -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_confirmations_are_deleted_after_the_retention_period_and_the_counts_stay(rule, owner, user, settings):
    settings.ACKNOWLEDGEMENT_RETENTION_DAYS = 30
    client_for(user).post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/")
    requirement = requirement_of(rule)
    assert actions.purge_reading_confirmations()["confirmations"] == 0
    past = timezone.now() - datetime.timedelta(days=31)
    ReadingConfirmation.objects.update(confirmed_at=past)
    ReadingRequirement.objects.filter(pk=requirement.pk).update(version_since=past)
    call_command("purge_reading_confirmations", stdout=io.StringIO())
    assert not ReadingConfirmation.objects.exists()
    response = client_for(owner).get(f"/zu-lesen/{requirement.pk}/stand/")
    assert response.context["totals"]["confirmed"] == 1 and response.context["closed"]
    # a closed version asks nobody any more
    assert client_for(user).get("/zu-lesen/").context["items"] == []


# --- query counts -----------------------------------------------------------------------------------------
def _many_pages(parent, departments, count, start=0):
    pages = []
    for number in range(start, start + count):
        page = add_page(parent, WikiPage(title=f"Regel {number}", slug=f"regel-{number}", body=rich("x")))
        pages.append(make_mandatory(page, departments=departments))
    return pages


@pytest.mark.django_db
def test_reading_list_and_counts_cost_the_same_queries_for_few_and_many(
    buergeramt_page, department, team, user, owner, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home import reading_selectors

    _many_pages(buergeramt_page, [department], 2)
    first = ReadingRequirement.objects.order_by("pk").first()

    def measure():
        # 1 query: the list (units above the reader's, groups and confirmations are subqueries)
        with django_assert_num_queries(1):
            list(reading_selectors.reading_list(user=user))
        # 2 queries: asked and confirmed per department; the stored tallies
        with django_assert_num_queries(2):
            reading_selectors.department_counts(requirement=first)
        # 1 query: who has not confirmed (a Dienstanweisung), with their units
        with django_assert_num_queries(1):
            [str(profile.department) for profile in reading_selectors.not_confirmed(requirement=first)]
        # the pages "Zu lesen" and "Lesestand": the same queries for few and many
        client.get("/zu-lesen/")
        with CaptureQueriesContext(connection) as listed:
            assert client.get("/zu-lesen/").status_code == 200
        with CaptureQueriesContext(connection) as status:
            assert owner_client.get(f"/zu-lesen/{first.pk}/stand/").status_code == 200
        return len(listed), len(status)

    client, owner_client = client_for(user), client_for(owner)
    first.owner = owner
    first.save()
    few = measure()
    units = [Department.objects.create(name=f"Sachgebiet {n}", parent=team) for n in range(5)]
    for number, unit in enumerate(units):
        make_user(f"person.{number}", department=unit)
    _many_pages(buergeramt_page, [department, *units], 6, start=2)
    for requirement in ReadingRequirement.objects.all()[:4]:
        actions.confirm_reading(requirement=requirement, user=owner)
    actions.confirm_reading(requirement=first, user=user)
    assert measure() == few
    assert len(reading_selectors.department_counts(requirement=first)) == 6  # Bürgeramt and 5 Sachgebiete


@pytest.mark.django_db
def test_the_page_with_its_banner_costs_one_query_more_than_without(rule, user, owner, buergeramt_page):
    client = client_for(user)
    plain = add_page(buergeramt_page, WikiPage(title="Ohne Pflicht", slug="ohne", body=rich("x"), content_owner=owner))
    client.get(plain.url)
    client.get(rule.url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        client.get(plain.url)
    with CaptureQueriesContext(connection) as with_banner:
        client.get(rule.url)
    # The banner's query runs on every content page (it finds nothing on the plain one); a page of
    # mandatory reading adds one: the reader's groups, which decide whether it links the counts.
    assert len(with_banner) == len(without) + 1


# --- GDPR ------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_confirmations_are_exported_and_erased_with_the_person_and_the_counts_stay(rule, user, owner, admin_user):
    from people.privacy import collect_export, erase_person

    client_for(user).post(f"/zu-lesen/{requirement_of(rule).pk}/gelesen/")
    exported = collect_export(user)["home"]["reading_confirmed"]
    assert [(item["title"], item["version"]) for item in exported] == [("Datenschutz am Schalter", 1)]
    erase_person(user=user, by=admin_user, keep_posts=True)
    assert not ReadingConfirmation.objects.exists()
    counts = client_for(owner).get(f"/zu-lesen/{requirement_of(rule).pk}/stand/").context["counts"]
    assert sum(row.confirmed for row in counts) == 1


@pytest.mark.django_db
def test_a_moved_page_keeps_its_address_in_the_reading_list(rule, bauamt_page, user):
    rule.move(bauamt_page, pos="last-child")
    item = client_for(user).get("/zu-lesen/").context["items"][0]
    assert item.url == "/bauamt/datenschutz/"
