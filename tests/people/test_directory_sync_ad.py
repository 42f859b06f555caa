"""The "ad" preset of manage.py sync_directory (people/ldap.py, PRESETS["ad"]) against the test
slapd with the Active Directory attributes of tests/people/ldap/ad.schema and AD-shaped entries
(tests/people/ldap/ad.py). No Active Directory runs here: this is OpenLDAP with an AD-like
schema (docs/deploy.md says so). Nothing of the LDAP protocol is mocked."""

import io

import ldap3
import pytest
from django.core.management import call_command

from people.models import Department, Profile, User
from tests.people.ldap import ad
from tests.people.ldap.generate import SERVICE_PASSWORD, directory_settings
from tests.people.ldap.server import AD_SCHEMA, Slapd, available

pytestmark = pytest.mark.skipif(not available(), reason="slapd is not installed (make ldap-deps)")


@pytest.fixture
def ad_directory(tmp_path, settings):
    server = Slapd(tmp_path / "slapd", ad.ldif(), schemas=(AD_SCHEMA,)).start()
    password_file = tmp_path / "bind-password"
    password_file.write_text(SERVICE_PASSWORD + "\n")
    # the preset as it is (no attribute overridden); two entries a page, so several pages
    settings.LDAP_DIRECTORY = directory_settings(
        server, password_file, schema="ad", units_base=ad.UNITS_BASE, page_size=2, attributes={}
    )
    try:
        yield server
    finally:
        server.stop()


def sync(*args) -> str:
    out = io.StringIO()
    call_command("sync_directory", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_the_ad_preset_creates_accounts_units_and_heads_from_ad_attributes(ad_directory):
    out = sync()
    # Max, Erika, Jonas; Lea is disabled (userAccountControl 514) and never had an account; the
    # computer account (objectCategory computer) is no person
    assert "created 3, updated 0, deactivated 0, unchanged 0, skipped 1, errors 0" in out
    assert "units: created 4," in out
    assert set(User.objects.values_list("email", flat=True)) == {
        "max.meier@musterhausen.test",
        "erika.mustermann@musterhausen.test",
        "jonas.becker@musterhausen.test",
    }

    erika = Profile.objects.select_related("user", "department", "manager").get(
        user__email="erika.mustermann@musterhausen.test"
    )
    assert erika.directory_id == ad.guid_text("emustermann")  # objectGUID, AD's byte order
    assert (erika.user.first_name, erika.user.last_name) == ("Erika", "Mustermann")
    assert (erika.job_title, erika.room) == ("Amtsleitung", "Rathaus 210")  # title, physicalDeliveryOfficeName
    assert erika.phone.startswith("+49 5555 ")
    assert erika.department.name == "Hauptamt"  # department
    assert erika.manager.email == "max.meier@musterhausen.test"  # manager (a DN)
    assert erika.user.is_active  # 66048: a normal account whose password does not expire

    hauptamt = Department.objects.select_related("parent", "head").get(name="Hauptamt")
    assert hauptamt.directory_id == ad.guid_text("Hauptamt")
    assert (hauptamt.parent.name, hauptamt.parent.kind, hauptamt.kind) == ("Dezernat I", "directorate", "office")
    assert hauptamt.head == erika.user  # managedBy
    assert Department.objects.get(name="Sachgebiet 10.1 Organisation").kind == "section"
    jonas = Profile.objects.select_related("department", "manager").get(user__email="jonas.becker@musterhausen.test")
    assert (jonas.department.name, jonas.manager) == ("Sachgebiet 10.1 Organisation", erika.user)

    assert "updated 0, deactivated 0, unchanged 3, skipped 1" in sync()  # idempotent


@pytest.mark.django_db
def test_a_disabled_ad_account_is_deactivated_and_enabled_again(ad_directory):
    sync()
    with ad_directory.admin() as ldap:
        ldap.modify(ad.JONAS, {"userAccountControl": [(ldap3.MODIFY_REPLACE, ["514"])]})  # ACCOUNTDISABLE
    out = sync()
    assert "created 0, updated 0, deactivated 1, unchanged 2" in out
    jonas = User.objects.get(email="jonas.becker@musterhausen.test")
    assert not jonas.is_active and User.objects.count() == 3  # deactivated, not deleted

    with ad_directory.admin() as ldap:
        ldap.modify(ad.JONAS, {"userAccountControl": [(ldap3.MODIFY_REPLACE, ["512"])]})
    assert "updated 1, deactivated 0" in sync()
    jonas.refresh_from_db()
    assert jonas.is_active


@pytest.mark.django_db
def test_a_renamed_ad_account_is_matched_by_its_object_guid(ad_directory):
    sync()
    erika = User.objects.get(email="erika.mustermann@musterhausen.test")
    with ad_directory.admin() as ldap:  # married: new name, new mail, new DN; the objectGUID stays
        ldap.modify(ad.ERIKA, {"sn": [(ldap3.MODIFY_REPLACE, ["Schulz"])],
                               "mail": [(ldap3.MODIFY_REPLACE, ["erika.schulz@musterhausen.test"])]})  # fmt: skip
        ldap.modify_dn(ad.ERIKA, "cn=Erika Schulz")
        # AD rewrites the DNs that point to a renamed entry itself; OpenLDAP (without refint) not
        renamed = ad.user_dn("Erika Schulz", ad.HAUPTAMT)
        ldap.modify(ad.JONAS, {"manager": [(ldap3.MODIFY_REPLACE, [renamed])]})
        ldap.modify(ad.HAUPTAMT, {"managedBy": [(ldap3.MODIFY_REPLACE, [renamed])]})
    out = sync()
    assert "created 0, updated 1," in out
    erika.refresh_from_db()
    assert (erika.last_name, erika.email) == ("Schulz", "erika.schulz@musterhausen.test")
    assert Department.objects.get(name="Hauptamt").head == erika
    assert Profile.objects.get(user__email="jonas.becker@musterhausen.test").manager == erika
