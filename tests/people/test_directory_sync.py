"""manage.py sync_directory against a real OpenLDAP server (Debian's slapd, `make ldap-deps`):
each test gets a fresh one on a free loopback port, loaded with the fictional Stadt Musterhausen
(tests/people/ldap/generate.py: 200 people, 53 units), and changes it through ldap3 as a
directory administrator would. Nothing of the LDAP protocol is mocked."""

import io

import ldap3
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from people.models import Department, Profile, User
from tests.people.ldap.generate import ORG, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, directory_settings, ldif, people
from tests.people.ldap.server import Slapd, available, free_port
from tests.people.test_sso import IDP_PASSWORD, identity_provider, sign_in_with_sso, signed_in_user, sso  # noqa: F401

pytestmark = pytest.mark.skipif(not available(), reason="slapd is not installed (make ldap-deps)")
PEOPLE = 200
UNITS = 53  # 4 Dezernate, 12 Ämter, 36 Sachgebiete, 1 Stabsstelle
ADMIN_UNITS = "/admin/snippets/people/department/"
HAUPTAMT_11_1 = f"ou=11.1 Grundsatz Hauptamt,ou=Hauptamt,ou=Dezernat I,{ORG}"


@pytest.fixture
def directory(tmp_path, settings):
    server = Slapd(tmp_path / "slapd", ldif(PEOPLE)).start()
    password_file = tmp_path / "bind-password"
    password_file.write_text(SERVICE_PASSWORD + "\n")
    # 50 a page: several pages even for 200 people
    settings.LDAP_DIRECTORY = directory_settings(
        server, password_file, schema="openldap", units_base=ORG, page_size=50, attributes={"unit_head": "manager"}
    )
    try:
        yield server
    finally:
        server.stop()


def sync(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_directory", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sync_failing(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("sync_directory", *args, stdout=out, stderr=err)
    return str(raised.value), out.getvalue() + err.getvalue()


def person_dn(uid: str) -> str:
    """The DN of the person with this uid, as the directory has it."""
    return next(line[4:] for line in ldif(PEOPLE).splitlines() if line.startswith(f"dn: uid={uid},"))


def state() -> list[tuple]:
    """Everything the sync writes, to compare before and after."""
    people = Profile.objects.order_by("pk").values_list(
        "user__username", "user__email", "user__first_name", "user__last_name", "user__is_active",
        "phone", "room", "job_title", "department_id", "manager_id", "directory_id",
    )  # fmt: skip
    units = Department.objects.order_by("pk").values_list("name", "kind", "parent_id", "head_id", "deputy_head_id")
    return [*people, *units]


@pytest.mark.django_db
def test_first_sync_creates_everyone_and_the_unit_tree(directory):
    out, _ = sync()
    assert "created 200, updated 0, deactivated 0, unchanged 0, skipped 0, errors 0" in out
    assert "units: created 53" in out
    assert User.objects.filter(is_active=True).count() == PEOPLE
    assert Department.objects.count() == UNITS

    hauptamt = Department.objects.get(name="Hauptamt")
    assert (hauptamt.kind, hauptamt.parent.name, hauptamt.parent.kind) == ("office", "Dezernat I", "directorate")
    section = Department.objects.get(name="11.1 Grundsatz Hauptamt")
    assert (section.kind, section.parent) == ("section", hauptamt)
    assert Department.objects.get(name="Stabsstelle Controlling").kind == "staff_unit"
    assert Department.objects.get(name="Kämmerei").parent.name == "Dezernat II"

    # A Sachgebiet's head, placed in the unit by the entry's DN, with the Amtsleitung as manager.
    head = Profile.objects.select_related("user", "manager").get(user__email="oezlem.schneider@musterhausen.test")
    assert (head.user.first_name, head.user.last_name) == ("Özlem", "Schneider")
    assert (head.job_title, head.department, head.room) == ("Sachgebietsleitung", section, head.room)
    assert head.phone.startswith("+49 5555 ")
    assert head.manager == hauptamt.head
    assert section.head == head.user
    assert not head.user.has_usable_password()  # signs in by SSO or a password reset
    assert {"first_name", "last_name", "email", "phone", "room", "job_title", "department", "manager"} <= set(
        head.managed_fields
    )
    # The staff of the Stabsstelle live under ou=Personen and name their unit in "ou".
    assert Profile.objects.filter(department__name="Stabsstelle Controlling").count() > 1
    assert Profile.objects.filter(department=None).count() == 0


@pytest.mark.django_db
def test_a_second_sync_changes_nothing(directory):
    sync()
    before = state()
    out, _ = sync()
    assert "created 0, updated 0, deactivated 0, unchanged 200, skipped 0, errors 0" in out
    assert "units: created 0, updated 0, unchanged 53" in out
    assert state() == before


@pytest.mark.django_db
def test_a_change_in_the_directory_updates_the_person_and_a_move_their_unit(directory):
    sync()
    member = people(PEOPLE)[120]  # a member of a Sachgebiet, nobody's manager
    assert member["title"] == "Sachbearbeitung"
    dn = member["dn"]
    with directory.admin() as ldap:
        ldap.modify(dn, {"telephoneNumber": [(ldap3.MODIFY_REPLACE, ["+49 5555 4711"])],
                         "sn": [(ldap3.MODIFY_REPLACE, ["Schneider-Yılmaz"])],
                         "mail": [(ldap3.MODIFY_REPLACE, ["oezlem.schneider-yilmaz@musterhausen.test"])]})  # fmt: skip
        ldap.modify_dn(dn, f"uid={member['uid']}", new_superior=f"ou=Kämmerei,ou=Dezernat II,{ORG}")
    out, _ = sync("-v", "2")
    assert "created 0, updated 1, deactivated 0, unchanged 199" in out
    profile = Profile.objects.select_related("user", "department").get(user__username=member["uid"])
    assert profile.phone == "+49 5555 4711"
    assert profile.user.last_name == "Schneider-Yılmaz"
    assert profile.user.email == "oezlem.schneider-yilmaz@musterhausen.test"  # matched by entryUUID
    assert profile.directory_dn.startswith(f"uid={member['uid']},ou=kämmerei,")
    assert profile.department.name == "Kämmerei"
    assert User.objects.count() == PEOPLE


@pytest.mark.django_db
def test_removed_and_disabled_entries_are_deactivated_not_deleted(directory, settings):
    sync()
    with directory.admin() as ldap:
        ldap.delete(person_dn("jonas.schmidt"))  # left the administration
        ldap.modify(person_dn("lukas.fischer"), {"pwdAccountLockedTime": [(ldap3.MODIFY_ADD, ["000001010000Z"])]})
        ldap.modify(person_dn("marie.weber"), {"employeeType": [(ldap3.MODIFY_ADD, ["ausgeschieden"])]})
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "disabled_filter": "(employeeType=ausgeschieden)"}
    out, _ = sync()
    assert "created 0, updated 0, deactivated 3, unchanged 197" in out
    assert User.objects.count() == PEOPLE
    gone = User.objects.filter(is_active=False).order_by("username").values_list("username", flat=True)
    assert list(gone) == ["jonas.schmidt", "lukas.fischer", "marie.weber"]
    # Unlocked again: active again.
    with directory.admin() as ldap:
        ldap.modify(person_dn("lukas.fischer"), {"pwdAccountLockedTime": [(ldap3.MODIFY_DELETE, [])]})
    out, _ = sync()
    assert "updated 1, deactivated 0" in out
    assert User.objects.get(username="lukas.fischer").is_active


@pytest.mark.django_db
def test_dry_run_shows_what_it_would_do_and_writes_nothing(directory):
    out, _ = sync("--dry-run")
    assert "Dry run, nothing written. It would have: created 200" in out
    assert "would create: uid=anna.mueller," in out
    assert User.objects.count() == 0 and Department.objects.count() == 0

    sync()
    before = state()
    with directory.admin() as ldap:
        ldap.modify(person_dn("anna.mueller"), {"title": [(ldap3.MODIFY_REPLACE, ["Dezernentin"])]})
        ldap.delete(person_dn("jonas.schmidt"))
    out, _ = sync("--dry-run")
    assert "would update: uid=anna.mueller," in out and "(job_title)" in out
    assert "would deactivate: uid=jonas.schmidt," in out
    assert "updated 1, deactivated 1" in out
    assert state() == before


@pytest.mark.django_db
def test_an_unreachable_server_is_a_clear_error_and_changes_nothing(directory, settings):
    sync()
    before = state()
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "url": f"ldap://127.0.0.1:{free_port()}", "timeout": 2}
    message, _ = sync_failing()
    assert "cannot be reached" in message and "Nothing was changed" in message
    assert state() == before


@pytest.mark.django_db
def test_wrong_credentials_and_a_missing_password_file_are_clear_errors(directory, settings, tmp_path):
    wrong = tmp_path / "wrong"
    wrong.write_text("falsches-Passwort")
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "bind_password_file": str(wrong)}
    message, _ = sync_failing()
    assert f"refused the credentials of {SERVICE_DN}" in message
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "bind_password_file": str(tmp_path / "missing")}
    message, _ = sync_failing()
    assert "cannot read the bind password from LDAP_BIND_PASSWORD_FILE" in message
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_base_or_a_filter_matching_nobody_deactivates_nobody(directory, settings):
    sync()
    before = state()
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "people_base": f"ou=Gibtsnicht,{SUFFIX}"}
    message, _ = sync_failing()
    assert f"has no entry 'ou=Gibtsnicht,{SUFFIX}'" in message
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "people_base": SUFFIX, "people_filter": "(uid=niemand)"}
    message, _ = sync_failing()
    assert "has no people at all" in message
    assert state() == before


@pytest.mark.django_db
def test_entries_with_a_missing_attribute_or_a_duplicate_email_are_reported_and_skipped(directory):
    sync()
    missing, duplicate = person_dn("anna.mueller"), person_dn("lukas.fischer")
    with directory.admin() as ldap:
        ldap.modify(missing, {"mail": [(ldap3.MODIFY_DELETE, [])], "title": [(ldap3.MODIFY_REPLACE, ["Neu"])]})
        ldap.modify(duplicate, {"mail": [(ldap3.MODIFY_REPLACE, ["oezlem.schneider@musterhausen.test"])]})
        ldap.add(f"uid=neu.zugang,{HAUPTAMT_11_1}", "inetOrgPerson",
                 {"cn": "Neu Zugang", "sn": "Zugang", "givenName": "Neu", "mail": "jonas.schmidt@musterhausen.test"})  # fmt: skip
    message, output = sync_failing()
    assert "3 entries had errors and were skipped" in message
    assert f"{missing}: the attribute mail is missing" in output
    assert f"{duplicate}: the e-mail address oezlem.schneider@musterhausen.test is already that of" in output
    assert "uid=neu.zugang," in output and "jonas.schmidt@musterhausen.test is already that of" in output
    assert "created 0, updated 0, deactivated 0, unchanged 198" in output  # 200 less the two in error
    # Nothing of the bad entries was written, and their accounts stay active.
    anna = Profile.objects.select_related("user").get(user__username="anna.mueller")
    assert anna.user.is_active and anna.job_title != "Neu"
    assert User.objects.get(username="lukas.fischer").email == "lukas.fischer@musterhausen.test"
    assert User.objects.filter(email="oezlem.schneider@musterhausen.test").count() == 1
    assert not User.objects.filter(last_name="Zugang").exists()


@pytest.mark.django_db
def test_an_account_made_by_hand_is_taken_over_by_email(directory):
    from tests.conftest import make_user

    user = make_user("anna.m")
    User.objects.filter(pk=user.pk).update(email="anna.mueller@musterhausen.test")
    user.refresh_from_db()
    user.profile.responsibilities = "Gewerbeanmeldungen"
    user.profile.save()
    out, _ = sync()
    assert "created 199, updated 1" in out
    profile = Profile.objects.select_related("user").get(user=user)
    assert profile.directory_id and profile.user.first_name == "Anna"
    assert profile.responsibilities == "Gewerbeanmeldungen"  # what the directory does not have stays
    assert profile.user.has_usable_password()


@pytest.mark.django_db
def test_directory_fields_are_read_only_in_the_profile_form(directory, client):
    sync()
    user = User.objects.get(username="anna.mueller")
    client.force_login(user)
    page = client.get("/personen/profil/bearbeiten/")
    assert page.status_code == 200
    phone = user.profile.phone
    client.post("/personen/profil/bearbeiten/", {"phone": "0", "job_title": "Chefin", "responsibilities": "Haushalt"})
    profile = Profile.objects.get(user=user)
    assert (profile.phone, profile.responsibilities) == (phone, "Haushalt")
    assert profile.job_title != "Chefin"


@pytest.mark.django_db
def test_the_profile_page_shows_the_manager_from_the_directory(directory, client):
    sync()
    member = people(PEOPLE)[120]
    profile = Profile.objects.select_related("manager").get(user__username=member["uid"])
    client.force_login(profile.user)
    page = client.get(f"/personen/{member['uid']}/", HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Vorgesetzte/r" in text
    assert f'href="{profile.manager.profile.get_absolute_url()}">{profile.manager}</a>' in text


# --- single sign-on and the directory agree on the person ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sso_signs_in_the_synced_person_by_email_or_directory_id(directory, sso, live_server, settings):  # noqa: F811
    sync()
    anna = Profile.objects.select_related("user").get(user__username="anna.mueller")
    # Same e-mail at the provider: the synced account, whose directory fields the claims leave alone.
    sso.user(email="anna.mueller@musterhausen.test", password=IDP_PASSWORD, first_name="Anni",
             last_name="Müller", department="Irgendwo", is_active=True)  # fmt: skip
    browser, _ = sign_in_with_sso(live_server, "anna.mueller@musterhausen.test")
    assert signed_in_user(browser, live_server) is not None
    anna.refresh_from_db()
    anna.user.refresh_from_db()
    assert (anna.user.first_name, anna.department.name) == ("Anna", "Dezernat I")

    # Another e-mail at the provider but the same entryUUID (OIDC_DIRECTORY_ID_CLAIM): the same person.
    settings.OIDC_DIRECTORY_ID_CLAIM = "ldap_id"
    jonas = Profile.objects.select_related("user").get(user__username="jonas.schmidt")
    sso.user(email="j.schmidt@rathaus.test", password=IDP_PASSWORD, first_name="Jonas", last_name="Schmidt",
             directory_id=jonas.directory_id.upper(), is_active=True)  # fmt: skip
    browser, _ = sign_in_with_sso(live_server, "j.schmidt@rathaus.test")
    assert signed_in_user(browser, live_server) is not None
    assert not User.objects.filter(email="j.schmidt@rathaus.test").exists()
    assert User.objects.count() == PEOPLE

    # Deactivated by the sync: single sign-on is refused too.
    with directory.admin() as ldap:
        ldap.delete(person_dn("jonas.schmidt"))
    sync()
    browser, response = sign_in_with_sso(live_server, "j.schmidt@rathaus.test")
    assert signed_in_user(browser, live_server) is None
    assert response.url == f"{live_server.url}/konto/inactive/"


@pytest.mark.django_db(transaction=True)
@pytest.mark.search_index
def test_synced_people_are_in_the_search_index_after_the_commit_and_leavers_leave_it(directory):
    """The run queues the changed people for indexing after its commit (in pages) instead of one
    task per save; the save handlers it pauses are connected again afterwards."""
    from wagtail.search.backends import get_search_backend

    def found(name):
        return list(get_search_backend().search(name, Profile.objects.filter(user__is_active=True)))

    sync()
    oezlem = Profile.objects.get(user__username="oezlem.schneider")
    assert oezlem in found("Özlem")
    with directory.admin() as ldap:
        ldap.delete(person_dn("oezlem.schneider"))
    sync()
    assert oezlem not in found("Özlem")
    # An ordinary save after the run is indexed as before.
    anna = Profile.objects.get(user__username="anna.mueller")
    anna.responsibilities = "Fahrradständer"
    anna.save()
    assert anna in found("Fahrradständer")


@pytest.mark.django_db
def test_settings_that_cannot_work_are_clear_errors(settings):
    base = {**settings.LDAP_DIRECTORY, "url": "ldap://127.0.0.1:1", "people_base": SUFFIX}
    for changes, expected in [
        ({"schema": "novell"}, "LDAP_SCHEMA must be one of ad, openldap, not 'novell'"),
        ({"attributes": {"emial": "mail"}}, "unknown LDAP_ATTR_ setting(s): LDAP_ATTR_EMIAL"),
        ({"attributes": {"email": ""}}, "LDAP_ATTR_EMAIL cannot be empty"),
        ({"url": ""}, "LDAP_URL is not set"),
        ({"bind_dn": SERVICE_DN, "bind_password_file": ""}, "LDAP_BIND_PASSWORD_FILE is not set"),
    ]:
        settings.LDAP_DIRECTORY = {**base, **changes}
        message, _ = sync_failing()
        assert expected in message, message


@pytest.fixture
def tls_directory(tmp_path, settings, directory):
    """The same directory served with StartTLS and LDAPS (a certificate of a throw-away CA)."""
    directory.stop()
    server = Slapd(tmp_path / "slapd-tls", ldif(PEOPLE), tls=True).start()
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "url": server.url}
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.django_db
def test_starttls_and_ldaps_verify_the_directorys_certificate(tls_directory, settings):
    base = settings.LDAP_DIRECTORY
    settings.LDAP_DIRECTORY = {**base, "start_tls": True, "ca_file": str(tls_directory.ca_file)}
    assert "created 200" in sync()[0]
    settings.LDAP_DIRECTORY = {**base, "url": tls_directory.ldaps_url, "ca_file": str(tls_directory.ca_file)}
    assert "unchanged 200" in sync()[0]

    # A certificate the system does not trust: refused, nothing changed.
    with tls_directory.admin() as ldap:
        ldap.modify(person_dn("anna.mueller"), {"title": [(ldap3.MODIFY_REPLACE, ["Anders"])]})
    before = state()
    for changes in ({"url": tls_directory.ldaps_url}, {"start_tls": True}):
        settings.LDAP_DIRECTORY = {**base, **changes, "ca_file": ""}
        message, _ = sync_failing()
        assert "certificate verify failed" in message and "Nothing was changed" in message, message
    assert state() == before


@pytest.mark.django_db
def test_unit_heads_set_in_the_admin_stay_when_the_directory_has_no_head_attribute(directory, settings):
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "attributes": {}}  # the OpenLDAP preset: no head
    sync()
    hauptamt = Department.objects.get(name="Hauptamt")
    assert hauptamt.head is None
    head, deputy = User.objects.get(username="jonas.schmidt"), User.objects.get(username="anna.mueller")
    Department.objects.filter(pk=hauptamt.pk).update(head=head, deputy_head=deputy)
    assert "units: created 0, updated 0, unchanged 53" in sync()[0]
    hauptamt.refresh_from_db()
    assert (hauptamt.head, hauptamt.deputy_head) == (head, deputy)
    # With the head attribute the directory's head wins; the deputy (not in the directory) stays.
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "attributes": {"unit_head": "manager"}}
    Department.objects.filter(pk=hauptamt.pk).update(head=deputy, deputy_head=head)
    sync()
    hauptamt.refresh_from_db()
    assert hauptamt.head == head and hauptamt.deputy_head is None  # a deputy equal to the head is dropped


@pytest.mark.django_db
def test_a_unit_that_leaves_the_directory_is_marked_not_deleted_and_cleared_when_it_comes_back(directory, admin_client):
    new_unit = f"ou=11.9 Digitalisierung,ou=Hauptamt,ou=Dezernat I,{ORG}"
    with directory.admin() as ldap:
        ldap.add(new_unit, ["organizationalUnit"], {"businessCategory": "Sachgebiet"})
    sync()
    unit = Department.objects.get(name="11.9 Digitalisierung")
    assert unit.kind == "section" and unit.left_directory_at is None

    # moved out of the units' base (as "deleted" to the sync; modify_dn keeps its entryUUID)
    with directory.admin() as ldap:
        ldap.modify_dn(new_unit, "ou=11.9 Digitalisierung", new_superior=f"ou=Dienste,{SUFFIX}")
    out, _ = sync("--dry-run")
    assert "would unit left the directory: ou=11.9 digitalisierung," in out
    assert "no longer in the directory 1" in out
    unit.refresh_from_db()
    assert unit.left_directory_at is None  # the dry run wrote nothing

    out, _ = sync()
    assert f"units: created 0, updated 0, unchanged {UNITS}, no longer in the directory 1" in out
    unit.refresh_from_db()
    assert unit.left_directory_at is not None
    assert Department.objects.count() == UNITS + 1  # kept
    out, _ = sync()
    assert "no longer in the directory 0" in out  # marked once

    # the org chart marks it, the admin's filter lists it alone
    html = admin_client.get("/personen/organisation/").content.decode()
    assert f"nicht mehr im Verzeichnis seit {timezone.localtime(unit.left_directory_at):%d.%m.%Y}" in html
    response = admin_client.get(ADMIN_UNITS, {"left_directory": "true"})
    assert [d.name for d in response.context["object_list"]] == ["11.9 Digitalisierung"]
    response = admin_client.get(ADMIN_UNITS, {"left_directory": "false"})
    assert "11.9 Digitalisierung" not in [d.name for d in response.context["object_list"]]

    # back in the directory: the mark is cleared
    with directory.admin() as ldap:
        ldap.modify_dn(f"ou=11.9 Digitalisierung,ou=Dienste,{SUFFIX}", "ou=11.9 Digitalisierung",
                       new_superior=f"ou=Hauptamt,ou=Dezernat I,{ORG}")  # fmt: skip
    out, _ = sync()
    assert "units: created 0, updated 1," in out and "no longer in the directory 0" in out
    unit.refresh_from_db()
    assert unit.left_directory_at is None
    assert "nicht mehr im Verzeichnis" not in admin_client.get("/personen/organisation/").content.decode()


@pytest.mark.django_db
def test_a_unit_deleted_and_made_again_in_the_directory_takes_over_the_marked_one(directory):
    new_unit = f"ou=11.9 Digitalisierung,ou=Hauptamt,ou=Dezernat I,{ORG}"
    with directory.admin() as ldap:
        ldap.add(new_unit, ["organizationalUnit"], {"businessCategory": "Sachgebiet"})
    sync()
    old = Department.objects.get(name="11.9 Digitalisierung")
    with directory.admin() as ldap:
        ldap.delete(new_unit)
    sync()
    with directory.admin() as ldap:  # made again: a new entryUUID, the same name
        ldap.add(new_unit, ["organizationalUnit"], {"businessCategory": "Sachgebiet"})
    out, _ = sync()
    assert "errors 0" in out and "updated 1," in out
    unit = Department.objects.get(name="11.9 Digitalisierung")
    assert unit.pk == old.pk and unit.left_directory_at is None and unit.directory_id != old.directory_id


@pytest.mark.django_db
def test_a_source_without_units_marks_no_unit(directory, settings):
    sync()
    settings.LDAP_DIRECTORY = {**settings.LDAP_DIRECTORY, "units_base": ""}
    out, _ = sync()
    assert "no longer in the directory 0" in out
    assert not Department.objects.exclude(left_directory_at=None).exists()
