"""Which claims fill which fields: configurable per installation (OIDC_*_CLAIM settings)."""

import pytest

from people import actions, sso
from people.models import Department, Profile
from tests.conftest import make_user


def test_standard_claims_are_mapped_and_cut_to_length():
    data = sso.managed_data(
        {
            "given_name": "Lisa",
            "family_name": "Berger",
            "email": "Lisa@Stadt.test",
            "department": "Umweltamt",
            "job_title": "x" * 300,
            "sub": "123",
        }
    )
    assert data["first_name"] == "Lisa"
    assert data["department"] == "Umweltamt"
    assert len(data["job_title"]) == 150
    assert "sub" not in data


def test_claim_names_come_from_the_settings(settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "department": "abteilung", "job_title": "jobTitle"}
    data = sso.managed_data({"abteilung": ["Kämmerei", "Personalrat"], "jobTitle": "Kämmerer", "department": "x"})
    assert data == {"department": "Kämmerei", "job_title": "Kämmerer"}


def test_missing_claims_leave_the_fields_to_the_person():
    assert sso.managed_data({"email": "a@stadt.test"}) == {"email": "a@stadt.test"}


def test_userinfo_and_id_token_are_merged():
    claims = sso.claims_from({"id_token": {"sub": "1", "given_name": "Alt"}, "userinfo": {"given_name": "Neu"}})
    assert claims == {"sub": "1", "given_name": "Neu"}


@pytest.mark.django_db
def test_managed_data_creates_departments_once_and_marks_fields(department):
    user = make_user("lisa.berger")
    actions.apply_managed_data(user=user, data={"department": "umweltamt ", "job_title": "Referentin"})
    actions.apply_managed_data(user=user, data={"department": "Umweltamt"})
    profile = Profile.objects.get(user=user)
    assert Department.objects.filter(name__iexact="umweltamt").count() == 1
    assert profile.managed_fields == ["department", "job_title"]
    assert profile.job_title == "Referentin"


def test_the_directory_id_claim_is_read_as_the_sync_stores_it(settings):
    """AD's objectGUID: the sync stores the GUID form of its bytes; Entra ID sends the same bytes
    in base64 (onPremisesImmutableId), Keycloak the GUID text in any case: all are one id."""
    import base64
    import uuid

    from people.directory import normalise_id

    guid = uuid.UUID("7c9e6679-7425-40de-944b-e07fc1f90ae7")
    stored = normalise_id(guid.bytes_le)  # as people.ldap reads objectGUID
    assert stored == "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    assert sso.directory_id({"ldap_id": "x"}) == ""  # no claim configured: e-mail only
    settings.OIDC_DIRECTORY_ID_CLAIM = "ldap_id"
    assert sso.directory_id({"ldap_id": base64.b64encode(guid.bytes_le).decode()}) == stored
    assert sso.directory_id({"ldap_id": [str(guid).upper()]}) == stored
    assert sso.directory_id({"sub": "1"}) == ""
