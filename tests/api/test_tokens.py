"""Creating, listing and revoking tokens: the page of one's own (/api-zugang/), the admin, and
`manage.py create_api_token` with service accounts."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from intranet.models import ApiToken, ServiceAccount
from people.models import User
from tests.api.conftest import token_for


def test_the_token_page_requires_sign_in(client, db):
    response = client.get("/api-zugang/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_a_user_creates_a_token_and_sees_it_exactly_once(user_client, user):
    response = user_client.post("/api-zugang/", {"name": "Fachverfahren", "scope": "write", "expires_in_days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    plain = response.context["new_token"]
    assert plain.startswith(token.prefix) and token.scope == "write" and token.expires_at is not None
    assert plain in response.content.decode()
    assert "Kopieren Sie es jetzt" in response.content.decode()
    listing = user_client.get("/api-zugang/").content.decode()
    assert plain not in listing and "Fachverfahren" in listing and token.prefix in listing
    assert Client(headers={"Authorization": f"Bearer {plain}"}).get("/api/v1/people").status_code == 200


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "", "scope": "read"}, "name"),
        ({"name": "x" * 101, "scope": "read"}, "name"),
        ({"name": "Skript", "scope": "admin"}, "scope"),
        ({"name": "Skript", "scope": "read", "expires_in_days": "0"}, "expires_in_days"),
        ({"name": "Skript", "scope": "read", "expires_in_days": "viele"}, "expires_in_days"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_stays(user_client, user, data, field):
    response = user_client.post("/api-zugang/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert form["name"].value() == data["name"]
    assert not ApiToken.objects.exists()


def test_too_many_tokens_are_refused(user_client, user, monkeypatch):
    from intranet import tokens

    monkeypatch.setattr(tokens, "MAX_TOKENS_PER_USER", 1)
    token_for(user)
    response = user_client.post("/api-zugang/", {"name": "Zweites", "scope": "read"})
    assert response.status_code == 400 and "Widerrufen Sie zuerst eines" in response.content.decode()


def test_a_user_revokes_their_token_and_it_stops_working(user_client, user):
    plain = token_for(user)
    token = ApiToken.objects.get(user=user)
    response = user_client.post(f"/api-zugang/{token.pk}/widerrufen/", follow=True)
    assert "wurde widerrufen" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    from wagtail.models import ModelLogEntry

    actions = list(ModelLogEntry.objects.filter(object_id=str(token.pk)).values_list("action", "user_id"))
    assert sorted(actions) == [("wagtail.apitoken.create", user.pk), ("wagtail.apitoken.revoke", user.pk)]
    assert Client(headers={"Authorization": f"Bearer {plain}"}).get("/api/v1/people").status_code == 401


def test_nobody_revokes_or_sees_someone_elses_token(user_client, other_user):
    token_for(other_user)
    token = ApiToken.objects.get(user=other_user)
    assert user_client.post(f"/api-zugang/{token.pk}/widerrufen/").status_code == 404
    assert token.name not in user_client.get("/api-zugang/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_post(user_client, user):
    token_for(user)
    token = ApiToken.objects.get(user=user)
    assert user_client.get(f"/api-zugang/{token.pk}/widerrufen/").status_code == 405


def test_an_admin_lists_and_revokes_every_token(admin_client, user, other_user):
    token_for(user)
    token_for(other_user)
    listing = admin_client.get("/django-admin/intranet/apitoken/")
    assert listing.status_code == 200
    assert "anna.schmidt" in listing.content.decode() or "Anna Schmidt" in listing.content.decode()
    ids = list(ApiToken.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/django-admin/intranet/apitoken/", {"action": "revoke", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert not ApiToken.objects.active().exists()
    assert "key_hash" not in admin_client.get(f"/django-admin/intranet/apitoken/{ids[0]}/change/").content.decode()


def test_the_command_prints_a_working_token_once(user, client):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", user.username, name="Monitoring", scope="write", expires=7, stdout=out, stderr=err)
    plain = out.getvalue().strip()
    token = ApiToken.objects.get(user=user)
    assert token.scope == "write" and token.expires_at and plain.startswith(token.prefix)
    assert "Monitoring" in err.getvalue() and plain not in err.getvalue()
    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {plain}"}).status_code == 200


def test_the_command_refuses_bad_input(user, db):
    with pytest.raises(CommandError, match="no user"):
        call_command("create_api_token", "niemand", name="X", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="expires_in_days"):
        call_command("create_api_token", user.username, name="X", expires=0, stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", user.username, name="X", scope="admin", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not ApiToken.objects.exists()


def test_a_service_account_cannot_sign_in_is_not_in_the_directory_and_works_through_its_token(client, user, db):
    out = io.StringIO()
    call_command(
        "create_api_token",
        "svc-monitoring",
        service_account=True,
        name="Monitoring",
        scope="read",
        description="Nagios",
        stdout=out,
        stderr=io.StringIO(),
    )
    account = User.objects.get(username="svc-monitoring")
    assert ServiceAccount.objects.get(user=account).description == "Nagios"
    assert not account.has_usable_password()
    headers = {"Authorization": f"Bearer {out.getvalue().strip()}"}
    people = client.get("/api/v1/people", headers=headers).json()
    assert [p["username"] for p in people["results"]] == [user.username]
    # a second token for the same service account reuses it; a person's name is refused
    call_command(
        "create_api_token",
        "svc-monitoring",
        service_account=True,
        name="Zweites",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert ApiToken.objects.filter(user=account).count() == 2
    with pytest.raises(CommandError, match="Person"):
        call_command(
            "create_api_token",
            user.username,
            service_account=True,
            name="X",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_the_profile_slot_links_to_ones_own_tokens_only(rf, user):
    from django.template.loader import render_to_string

    assert "/api-zugang/" in render_to_string("intranet/includes/profile_tokens.html", {"is_own": True})
    assert "/api-zugang/" not in render_to_string("intranet/includes/profile_tokens.html", {"is_own": False})
