"""Profiles: the page colleagues see, and the form staff edit their own profile with."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from people.models import Absence, Department, Profile
from tests.conftest import make_user, sign_in

EDIT = "/personen/profil/bearbeiten/"


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


def form_data(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": "Sachbearbeiterin Meldewesen",
        "department": user.profile.department_id or "",
        "responsibilities": "Anmeldungen, Ummeldungen",
        "expertise": "Meldewesen, Vergaberecht",
        "languages": "Deutsch, Englisch",
        "phone": "0421 361-1101",
        "room": "Rathaus, Raum E.04",
        "deputy": "",
        "email_digest": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def png(size=(10, 10)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "PNG")
    return SimpleUploadedFile("portrait.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_profile_page_shows_what_colleagues_need(user_client, user, other_user):
    profile = other_user.profile
    profile.job_title = "Sachgebietsleiter Pass- und Ausweiswesen"
    profile.responsibilities = "Reisepässe, Personalausweise"
    profile.languages = "Deutsch, Türkisch"
    profile.phone = "0421 361-1102"
    profile.room = "Rathaus, Raum E.06"
    profile.deputy = user
    profile.save()
    Absence.objects.create(
        user=other_user, starts_on=timezone.localdate(), ends_on=datetime.date(2099, 3, 14), note="Im Urlaub"
    )
    profile.expertise.add("Passrecht")
    response = user_client.get(f"/personen/{other_user.username}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["Mehmet Yılmaz", "Sachgebietsleiter", "Reisepässe", "Türkisch", "0421 361-1102", "Raum E.06",
                 "abwesend bis 14.03.2099, vertreten durch Anna Schmidt", "Im Urlaub", "Passrecht", "Anna Schmidt", "Zuständigkeiten", "Vertretung", "Bürgeramt"]:  # fmt: skip
        assert text in html, text
    assert "Profil bearbeiten" not in html  # not one's own


@pytest.mark.django_db
def test_own_profile_links_to_the_form_and_privacy(user_client, user):
    html = user_client.get(f"/personen/{user.username}/").content.decode()
    assert EDIT in html
    assert "/personen/datenschutz/" in html


@pytest.mark.django_db
def test_deputy_sees_whom_they_stand_in_for(user_client, user, other_user):
    Profile.objects.filter(user=other_user).update(deputy=user)
    html = user_client.get(f"/personen/{user.username}/").content.decode()
    assert "Vertretung für" in html
    assert "Mehmet Yılmaz" in html


@pytest.mark.django_db
def test_deactivated_people_have_no_profile_page(user_client, other_user):
    other_user.is_active = False
    other_user.save()
    assert user_client.get(f"/personen/{other_user.username}/").status_code == 404
    assert user_client.get("/personen/niemand.da/").status_code == 404


@pytest.mark.django_db
def test_staff_edit_their_own_profile(user_client, user, other_user):
    response = user_client.post(EDIT, form_data(user, deputy=other_user.email.upper(), photo=png()))
    assert response.status_code == 302
    assert response["Location"] == f"/personen/{user.username}/"
    profile = Profile.objects.get(user=user)
    assert profile.job_title == "Sachbearbeiterin Meldewesen"
    assert sorted(profile.expertise.names()) == ["Meldewesen", "Vergaberecht"]
    assert profile.deputy == other_user
    assert profile.photo.name.startswith("profile-photos/")
    assert "anna" not in profile.photo.name  # the file name does not reveal whom it shows
    page = user_client.get(response["Location"]).content.decode()
    assert "Ihr Profil wurde gespeichert." in page
    assert "Mehmet Yılmaz" in page  # the deputy


@pytest.mark.django_db
def test_deputy_by_user_name_and_removing_it(user_client, user, other_user):
    user_client.post(EDIT, form_data(user, deputy="@" + other_user.username))
    assert Profile.objects.get(user=user).deputy == other_user
    user_client.post(EDIT, form_data(user, deputy=""))
    assert Profile.objects.get(user=user).deputy is None


@pytest.mark.django_db
def test_edit_form_is_german_and_prefilled(user_client, user):
    Profile.objects.filter(user=user).update(job_title="Sachbearbeiterin")
    html = user_client.get(EDIT).content.decode()
    assert 'value="Sachbearbeiterin"' in html
    for label in ["Vorname", "Nachname", "Funktion", "Zuständigkeiten", "Fachgebiete", "Sprachen", "Vertretung",
                  "Ihre Abwesenheiten", "Foto"]:  # fmt: skip
        assert label in html, label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": ""}, "Dieses Feld muss ausgefüllt werden."),
        ({"phone": "ruf mich an"}, "Bitte geben Sie die Telefonnummer nur mit Ziffern ein"),
        ({"deputy": "niemand@stadt.test"}, "Kein aktiver Kollege und keine aktive Kollegin"),
        ({"deputy": "anna.schmidt@stadt.test"}, "Sie können nicht Ihre eigene Vertretung sein."),
        ({"expertise": "A" * 60}, "Dieses Fachgebiet ist zu lang"),
        ({"expertise": ", ".join(f"Thema {i}" for i in range(25))}, "höchstens 20 Fachgebiete"),
        ({"department": "999999"}, "Bitte eine gültige Auswahl treffen"),
        ({"job_title": "x" * 151}, "höchstens 150 Zeichen"),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(user_client, user, changes, message):
    data = form_data(user, responsibilities="Anmeldungen und Ummeldungen von Wohnsitzen", **changes)
    response = user_client.post(EDIT, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Bitte korrigieren Sie" in html or 'role="alert"' in html
    assert "Anmeldungen und Ummeldungen von Wohnsitzen" in html  # what was typed is still there
    assert Profile.objects.get(user=user).responsibilities == ""


@pytest.mark.django_db
def test_deactivated_colleague_cannot_be_deputy(user_client, user, other_user):
    other_user.is_active = False
    other_user.save()
    response = user_client.post(EDIT, form_data(user, deputy=other_user.email))
    assert "Kein aktiver Kollege" in response.content.decode()


@pytest.mark.django_db
def test_photo_must_be_an_image_and_not_too_large(user_client, user, settings):
    response = user_client.post(
        EDIT, form_data(user, photo=SimpleUploadedFile("x.png", b"not an image", content_type="image/png"))
    )
    assert "Bitte laden Sie ein Foto als JPEG, PNG oder WebP hoch" in response.content.decode()
    import people.forms

    settings_max = people.forms.MAX_PHOTO_BYTES
    people.forms.MAX_PHOTO_BYTES = 10
    try:
        response = user_client.post(EDIT, form_data(user, photo=png()))
    finally:
        people.forms.MAX_PHOTO_BYTES = settings_max
    assert "Das Foto ist zu groß" in response.content.decode()
    assert not Profile.objects.get(user=user).photo


@pytest.mark.django_db
def test_fields_from_single_sign_on_are_read_only(user_client, user):
    other = Department.objects.create(name="Bauamt")
    Profile.objects.filter(user=user).update(managed_fields=["first_name", "last_name", "department", "job_title"])
    page = user_client.get(EDIT).content.decode()
    assert "zentralen Benutzerverwaltung" in page
    response = user_client.post(
        EDIT, form_data(user, first_name="Hacker", job_title="Oberbürgermeisterin", department=other.pk, room="Raum 9")
    )
    assert response.status_code == 302
    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    assert user.first_name == "Anna"
    assert profile.job_title == ""
    assert profile.department.name == "Bürgeramt"
    assert profile.room == "Raum 9"  # not managed: still the person's own


@pytest.mark.django_db
def test_anonymous_visitors_cannot_edit(client, user):
    response = client.post(EDIT, {"job_title": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_a_user_without_profile_gets_one_when_editing(client, db):
    """Accounts get their profile when made (tests/people/test_accounts.py); one saved past the
    manager (a bulk import) still gets it when its owner opens the form."""
    from people.models import User

    user = User(username="neu.ling", email="neu@stadt.test")
    user.set_password("x" * 12)
    user.save()
    assert not Profile.objects.filter(user=user).exists()
    sign_in(client, user)
    assert client.get(EDIT).status_code == 200
    assert Profile.objects.filter(user=user).exists()


def test_make_user_helper_is_unchanged(db):
    assert make_user("x.y").profile.pk


@pytest.mark.django_db
def test_profile_page_queries_do_not_grow_with_tags_or_deputies(user_client, user, department):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert user_client.get(f"/personen/{user.username}/").status_code == 200
        return len(queries)

    Profile.objects.get(user=user).expertise.add("Meldewesen")
    Profile.objects.filter(user=make_user("eins.vertreten", department=department)).update(deputy=user)
    before = count()
    profile = Profile.objects.get(user=user)
    profile.expertise.add(*[f"Thema {i}" for i in range(15)])
    for i in range(15):
        Profile.objects.filter(user=make_user(f"person.nr{i}", department=department)).update(deputy=user)
    assert count() == before
