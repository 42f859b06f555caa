"""GDPR: everyone downloads what is stored about them; an administrator erases a person, whose
posts are kept under "ehemalige/r Mitarbeiter/in" or deleted, as the setting says."""

import json

import pytest

from people.models import Notification, Profile, User
from tests.conftest import sign_in

EXPORT = "/personen/datenschutz/export/"
PRIVACY = "/personen/datenschutz/"


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture
def channel(db):
    from posts.models import Channel

    return Channel.objects.create(name="Allgemein", slug="allgemein")


def post_by(user, channel, text="Neue Öffnungszeiten im Bürgeramt ab Montag"):
    from posts.actions import create_post

    return create_post(author=user, channel=channel, text=text, check_limits=False, send_notifications=False)


@pytest.fixture
def rich_user(user, other_user, channel):
    profile = Profile.objects.get(user=user)
    profile.job_title = "Sachbearbeiterin Meldewesen"
    profile.responsibilities = "Anmeldungen"
    profile.deputy = other_user
    profile.save()
    profile.expertise.add("Meldewesen")
    Notification.objects.create(
        recipient=user, kind=Notification.Kind.MENTION, verb="Mehmet hat Sie erwähnt", url="/x/"
    )
    Notification.objects.create(recipient=other_user, kind=Notification.Kind.MENTION, verb="nicht für Anna")
    post_by(user, channel)
    return user


@pytest.mark.django_db
def test_privacy_page_explains_what_is_stored_and_why(user_client):
    html = user_client.get(PRIVACY).content.decode()
    for text in ["Ihre Daten und Datenschutz", "Was über Sie gespeichert wird und warum", "keine Statistiken über einzelne Personen",
                 "Art. 15 bis 18 DSGVO", "Meine Daten herunterladen (JSON)", "ehemalige/r Mitarbeiter/in"]:  # fmt: skip
        assert text in html, text


@pytest.mark.django_db
def test_privacy_page_follows_the_posts_setting(user_client, settings):
    settings.ERASED_USER_POSTS = "delete"
    assert "Ihr Profil, Ihr Konto und Ihre Beiträge werden entfernt." in user_client.get(PRIVACY).content.decode()


@pytest.mark.django_db
def test_export_contains_everything_about_me_and_nothing_about_others(user_client, rich_user):
    response = user_client.post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    people = data["people"]
    assert people["account"]["email"] == rich_user.email
    assert people["profile"]["job_title"] == "Sachbearbeiterin Meldewesen"
    assert people["profile"]["expertise"] == ["Meldewesen"]
    assert people["profile"]["deputy"] == "mehmet.yilmaz@stadt.test"
    assert [n["text"] for n in people["notifications"]] == ["Mehmet hat Sie erwähnt"]
    assert "nicht für Anna" not in response.content.decode()
    assert "password" not in json.dumps(people["account"])
    assert data["posts"]["posts"][0]["text"] == "Neue Öffnungszeiten im Bürgeramt ab Montag"
    assert "reactions" in data["posts"]


@pytest.mark.django_db
def test_export_only_by_post_and_only_signed_in(client, user_client):
    assert user_client.get(EXPORT).status_code == 405
    response = client.post(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_export_collects_from_every_app_and_skips_missing_ones(user, settings):
    from people.privacy import collect_export

    settings.PRIVACY_APPS = ["gibt_es_nicht", "posts", "people"]
    data = collect_export(user)
    assert set(data) == {"exported_at", "format", "posts", "people"}


def erase_url(user):
    return f"/personen/{user.username}/loeschen/"


@pytest.mark.django_db
def test_staff_cannot_erase_anyone(user_client, other_user):
    assert user_client.get(erase_url(other_user)).status_code == 403
    assert user_client.post(erase_url(other_user), {"confirm_username": other_user.username}).status_code == 403
    assert User.objects.filter(pk=other_user.pk).exists()


@pytest.mark.django_db
def test_admin_must_type_the_user_name_to_confirm(admin_client, rich_user):
    page = admin_client.get(erase_url(rich_user)).content.decode()
    assert "anna.schmidt" in page and "endgültig" in page
    response = admin_client.post(erase_url(rich_user), {"confirm_username": "anna"})
    assert response.status_code == 200
    assert "Dies ist nicht der Benutzername der zu löschenden Person." in response.content.decode()
    assert 'value="anna"' in response.content.decode()
    assert Profile.objects.filter(user=rich_user).exists()


@pytest.mark.django_db
def test_admin_cannot_erase_themselves(admin_client, admin_user):
    assert admin_client.get(erase_url(admin_user)).status_code == 403


@pytest.mark.django_db
def test_erase_keeps_posts_under_former_staff(admin_client, rich_user, other_user, settings):
    from posts.models import Post

    settings.ERASED_USER_POSTS = "keep"
    profile_page = admin_client.get(f"/personen/{rich_user.username}/").content.decode()
    assert erase_url(rich_user) in profile_page
    response = admin_client.post(erase_url(rich_user), {"confirm_username": rich_user.username})
    assert response.status_code == 302
    assert "Anna Schmidt wurde gelöscht." in admin_client.get(response["Location"]).content.decode()
    assert not Profile.objects.filter(user_id=rich_user.pk).exists()
    assert not Notification.objects.filter(recipient_id=rich_user.pk).exists()
    post = Post.objects.get()
    assert str(post.author) == "ehemalige/r Mitarbeiter/in"
    former = User.objects.get(pk=rich_user.pk)
    assert not former.is_active and not former.has_usable_password()
    assert "anna" not in former.email and "anna" not in former.username
    assert admin_client.get(f"/personen/{rich_user.username}/").status_code == 404
    assert "Anna" not in admin_client.get("/personen/").content.decode()


@pytest.mark.django_db
def test_erase_can_delete_posts_too(admin_client, rich_user, settings):
    from posts.models import Post

    settings.ERASED_USER_POSTS = "delete"
    admin_client.post(erase_url(rich_user), {"confirm_username": rich_user.username})
    assert not User.objects.filter(pk=rich_user.pk).exists()
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_an_erased_person_cannot_sign_in_any_more(client, admin_client, rich_user):
    from tests.conftest import PASSWORD

    admin_client.post(erase_url(rich_user), {"confirm_username": rich_user.username})
    response = client.post("/konto/login/", {"login": "anna.schmidt@stadt.test", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


@pytest.mark.django_db
def test_erasing_ends_the_persons_sessions(client, admin_client, rich_user):
    sign_in(client, rich_user)
    assert client.get("/personen/").status_code == 200
    admin_client.post(erase_url(rich_user), {"confirm_username": rich_user.username})
    assert client.get("/personen/").status_code == 302


@pytest.mark.django_db
def test_nothing_shows_per_person_activity(user_client, rich_user, other_user):
    """No profile or directory page shows sign-in times or counts of what a person did."""
    for path in [f"/personen/{other_user.username}/", f"/personen/{rich_user.username}/", "/personen/"]:
        html = user_client.get(path).content.decode()
        for word in ["Letzte Anmeldung", "zuletzt online", "last login", "Aktivität", "Beiträge insgesamt"]:
            assert word not in html


@pytest.mark.django_db
def test_export_lists_api_tokens_without_their_keys(user_client, user):
    from intranet.tokens import create_token

    token, plain = create_token(user=user, name="Monitoring", scope="read")
    response = user_client.post(EXPORT)
    tokens = json.loads(response.content)["people"]["api_tokens"]
    assert [(t["name"], t["scope"], t["revoked_at"]) for t in tokens] == [("Monitoring", "read", None)]
    assert plain not in response.content.decode()
    assert token.key_hash not in response.content.decode()


@pytest.mark.django_db
def test_erase_removes_api_tokens_when_posts_are_kept(admin_client, user, settings):
    from intranet.models import ApiToken
    from intranet.tokens import create_token

    settings.ERASED_USER_POSTS = "keep"
    create_token(user=user, name="Monitoring", scope="read")
    admin_client.post(f"/personen/{user.username}/loeschen/", {"confirm_username": user.username})
    assert not ApiToken.objects.filter(user_id=user.pk).exists()


@pytest.mark.django_db
def test_erase_leaves_an_audit_entry_without_the_name(admin_client, admin_user, rich_user):
    from wagtail.models import ModelLogEntry

    user_id = rich_user.pk
    admin_client.post(f"/personen/{rich_user.username}/loeschen/", {"confirm_username": rich_user.username})
    entry = ModelLogEntry.objects.get(action="people.erase")
    assert entry.user_id == admin_user.pk
    assert entry.object_id == str(user_id)
    assert entry.label == f"#{user_id}"
    assert "Anna" not in str(entry.data) and "anna" not in entry.label
