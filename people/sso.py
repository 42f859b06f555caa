"""Single sign-on with OpenID Connect (Keycloak, Entra ID, ...): which claims fill which fields.

The claim names are settings (`OIDC_CLAIMS`, from the environment), so an installation maps e.g.
Entra ID's "jobTitle" or a Keycloak mapper's "abteilung" without code changes. The identity
provider's values are written through `people.actions.apply_managed_data` on every sign-in and
become read-only in the profile form."""

from django.conf import settings

# Our field -> default claim (standard OpenID Connect claims where there is one).
DEFAULT_CLAIMS = {
    "first_name": "given_name",
    "last_name": "family_name",
    "email": "email",
    "department": "department",
    "job_title": "job_title",
    "phone": "phone_number",
}
MAX_LENGTHS = {"first_name": 150, "last_name": 150, "email": 254, "department": 150, "job_title": 150, "phone": 50}


def claims_from(extra_data: dict) -> dict:
    """The claims allauth stored for a login: the userinfo response, merged over the ID token's
    claims where allauth keeps both."""
    if not isinstance(extra_data, dict):
        return {}
    if "userinfo" in extra_data or "id_token" in extra_data:
        merged = {}
        for part in ("id_token", "userinfo"):
            value = extra_data.get(part)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    return extra_data


def managed_data(claims: dict) -> dict:
    """Our fields from the claims: only claims that are present (a provider that does not send a
    department leaves the department to the person), cut to the field's length."""
    mapping = {**DEFAULT_CLAIMS, **getattr(settings, "OIDC_CLAIMS", {})}
    data = {}
    for field, claim in mapping.items():
        if not claim or claim not in claims:
            continue
        value = claims[claim]
        if isinstance(value, list):  # e.g. a groups-style claim: the first entry
            value = value[0] if value else ""
        if value is None:
            continue
        data[field] = str(value).strip()[: MAX_LENGTHS.get(field, 150)]
    if "email" in data and not data["email"]:
        del data["email"]
    return data


def directory_id(claims: dict) -> str:
    """The person's immutable id in the directory, when the provider sends it in the claim named
    by OIDC_DIRECTORY_ID_CLAIM (as the directory sync stores it: people.directory.normalise_id)."""
    from .directory import normalise_id

    claim = getattr(settings, "OIDC_DIRECTORY_ID_CLAIM", "")
    value = claims.get(claim) if claim else None
    if isinstance(value, list):
        value = value[0] if value else None
    return normalise_id(value) if value else ""
