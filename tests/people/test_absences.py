"""Absences with deputies (issue 16, point 2): entering and deleting them, what everyone sees
while someone is away ("abwesend bis …, vertreten durch …"), who stands in, that only the
current and the next absence are kept, and "Wer ist zuständig?"."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people import actions, queries
from people.models import Absence, Profile
from people.tasks import send_digest_mails
from tests.conftest import make_user

ABSENCES = "/personen/abwesenheit/"


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def form(**changes):
    data = {"starts_on": days(0).isoformat(), "ends_on": days(5).isoformat(), "note": "Urlaub", "deputy": ""}
    data.update(changes)
    return data


def away(user, *, start=0, end=5, deputy=None, note=""):
    return Absence.objects.create(user=user, starts_on=days(start), ends_on=days(end), deputy=deputy, note=note)


# --- entering and deleting ------------------------------------------------------------------
@pytest.mark.django_db
def test_staff_enter_an_absence_and_everyone_sees_it(user_client, client, user, other_user):
    response = user_client.post(ABSENCES, form(deputy=other_user.email.upper()))
    assert response.status_code == 302
    absence = Absence.objects.get(user=user)
    assert (absence.starts_on, absence.ends_on, absence.note, absence.deputy) == (
        days(0),
        days(5),
        "Urlaub",
        other_user,
    )
    page = user_client.get(ABSENCES).content.decode()
    assert "Ihre Abwesenheit wurde gespeichert." in page
    assert f"Vom {days(0):%d.%m.%Y} bis {days(5):%d.%m.%Y}" in page
    expected = f"abwesend bis {days(5):%d.%m.%Y}, vertreten durch Mehmet Yılmaz"
    assert expected in user_client.get(f"/personen/{user.username}/").content.decode()
    assert expected in user_client.get("/personen/", {"q": "schmidt"}).content.decode()


@pytest.mark.django_db
def test_the_form_is_accessible(user_client):
    html = user_client.get(ABSENCES).content.decode()
    assert "<fieldset>" in html and "<legend>Abwesenheit eintragen</legend>" in html
    for name in ("starts_on", "ends_on"):
        assert f'type="date" name="{name}"' in html
        assert f'<label for="id_{name}">' in html
    assert '<label for="id_deputy">Vertretung (optional)</label>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": None}, "ends_on", "Dieses Feld muss ausgefüllt werden."),
        ({"starts_on": "31.02.2027"}, "starts_on", "Bitte ein gültiges Datum eingeben."),
        ({"starts_on": "gestern"}, "starts_on", "Bitte ein gültiges Datum eingeben."),
        ({"note": "x" * 201}, "note", "höchstens 200 Zeichen"),
        ({"deputy": "niemand@stadt.test"}, "deputy", "Niemand hat die E-Mail-Adresse"),
    ],
)
def test_malformed_input_is_refused_by_the_form(user_client, user, changes, field, message):
    data = {k: v for k, v in form(**changes).items() if v is not None}
    response = user_client.post(ABSENCES, data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Absence.objects.exists()


@pytest.mark.django_db
def test_rules_of_an_absence_give_form_errors_and_save_nothing(user_client, user, other_user):
    leaver = make_user("ex.kollege", first_name="Ex", last_name="Kollege")
    leaver.is_active = False
    leaver.save()
    cases = [
        (form(starts_on=days(3).isoformat(), ends_on=days(1).isoformat()), "ends_on", "nicht vor dem ersten Tag"),
        (form(starts_on=days(-2).isoformat()), "starts_on", "nicht in der Vergangenheit"),
        (form(deputy=user.username), "deputy", "nicht Ihre eigene Vertretung"),
        (form(deputy=leaver.email), "deputy", "deaktiviert"),
        (form(note="Urlaub\x00"), "note", ""),
    ]
    for data, field, message in cases:
        response = user_client.post(ABSENCES, data)
        assert response.status_code == 400, data
        errors = response.context["form"].errors
        assert field in errors and message in " ".join(errors[field]), (data, errors)
        assert "Bitte korrigieren" in response.content.decode() or field in errors
    assert not Absence.objects.exists()


@pytest.mark.django_db
def test_overlaps_and_a_third_absence_are_refused(user_client, user):
    away(user, start=0, end=5)
    response = user_client.post(ABSENCES, form(starts_on=days(5).isoformat(), ends_on=days(8).isoformat()))
    assert response.status_code == 400
    assert "überschneidet sich mit Ihrer Abwesenheit" in " ".join(response.context["form"].errors["starts_on"])
    assert (
        user_client.post(ABSENCES, form(starts_on=days(10).isoformat(), ends_on=days(12).isoformat())).status_code
        == 302
    )
    response = user_client.post(ABSENCES, form(starts_on=days(20).isoformat(), ends_on=days(21).isoformat()))
    assert response.status_code == 400
    assert "nur Ihre laufende und Ihre nächste Abwesenheit" in " ".join(response.context["form"].non_field_errors())
    assert Absence.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_staff_delete_their_own_absence_only(user_client, user, other_user):
    own, theirs = away(user), away(other_user)
    assert user_client.post(f"{ABSENCES}{theirs.pk}/loeschen/").status_code == 404
    assert user_client.get(f"{ABSENCES}{own.pk}/loeschen/").status_code == 405
    response = user_client.post(f"{ABSENCES}{own.pk}/loeschen/")
    assert response.status_code == 302
    assert list(Absence.objects.all()) == [theirs]


@pytest.mark.django_db
def test_the_absence_pages_need_a_sign_in(client, user):
    assert client.get(ABSENCES).status_code == 302
    assert client.post(ABSENCES, form()).status_code == 302
    assert not Absence.objects.exists()


# --- no absence history ---------------------------------------------------------------------
@pytest.mark.django_db
def test_ended_absences_are_deleted_on_save_and_by_the_daily_job(user, other_user):
    ended = away(other_user, start=-10, end=-1)
    running = away(other_user, start=-1, end=1)
    actions.add_absence(user=user, starts_on=days(1), ends_on=days(2))
    assert not Absence.objects.filter(pk=ended.pk).exists()
    assert Absence.objects.filter(pk=running.pk).exists()
    away(user, start=-5, end=-2)  # left over, e.g. from before an upgrade
    send_digest_mails.call()  # the daily people job
    assert Absence.objects.filter(ends_on__lt=today()).count() == 0
    assert Absence.objects.count() == 2


@pytest.mark.django_db
def test_an_upcoming_absence_is_not_shown_as_absent(user_client, user, other_user):
    away(other_user, start=3, end=5)
    assert "abwesend bis" not in user_client.get(f"/personen/{other_user.username}/").content.decode()


@pytest.mark.django_db
def test_old_absence_notes_with_an_end_date_become_absences():
    """Migration people 0008: a free-text note "… bis 14.03.2099" becomes an absence until then;
    notes without a date, or with one past, are dropped."""
    import importlib

    migration = importlib.import_module("people.migrations.0008_absence")
    user = make_user("notiz.schreiber")
    other = make_user("andere.person")
    gone = make_user("alte.notiz")
    rows = [
        SimpleNamespace(user_id=user.pk, absence_note="Im Urlaub bis 14.03.2099"),
        SimpleNamespace(user_id=other.pk, absence_note="Nur vormittags erreichbar"),
        SimpleNamespace(user_id=gone.pk, absence_note="Fortbildung bis 1.2.20"),
    ]

    class Rows:
        def exclude(self, **kwargs):
            return self

        def only(self, *names):
            return self

        def iterator(self):
            return iter(rows)

    models = {"Profile": SimpleNamespace(objects=Rows()), "Absence": Absence}
    migration.notes_to_absences(SimpleNamespace(get_model=lambda app, name: models[name]), None)
    absence = Absence.objects.get()
    assert (absence.user, absence.ends_on, absence.note) == (
        user,
        datetime.date(2099, 3, 14),
        "Im Urlaub bis 14.03.2099",
    )


# --- who stands in ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_who_stands_in(user, other_user, department):
    head = make_user("thomas.wagner", department=department, first_name="Thomas", last_name="Wagner")
    deputy_head = make_user("julia.becker", department=department, first_name="Julia", last_name="Becker")
    department.head, department.deputy_head = head, deputy_head
    department.save()

    def stand_in():
        profile = queries.profile_for(user.username)
        return profile.current_absence.stand_in

    absence = away(user, deputy=other_user)
    assert stand_in() == other_user  # named on the absence
    other_user.is_active = False
    other_user.save()
    assert stand_in() == deputy_head  # named one left: the unit's deputy head
    absence.deputy = None
    absence.save()
    Profile.objects.filter(user=user).update(deputy=head)
    assert stand_in() == head  # the standing deputy before the unit's
    Profile.objects.filter(user=user).update(deputy=None)
    deputy_head.is_active = False
    deputy_head.save()
    assert stand_in() == head  # the unit's head when the deputy head is gone
    department.head = user  # absent heads do not stand in for themselves
    department.save()
    assert stand_in() is None
    assert user.username in [p.user.username for p in queries.directory(queries.DirectoryFilters())]


# --- what others see --------------------------------------------------------------------------
@pytest.mark.django_db
def test_mention_suggestions_say_who_is_away(user_client, user, other_user):
    away(other_user, deputy=user)
    results = user_client.get("/beitraege/erwaehnen/", {"q": "@meh"}).json()["results"]
    assert results == [
        {
            "username": "mehmet.yilmaz",
            "name": "Mehmet Yılmaz",
            "department": "Bürgeramt",
            "absence": f"abwesend bis {days(5):%d.%m.%Y}, vertreten durch Anna Schmidt",
        }
    ]
    assert user_client.get("/beitraege/erwaehnen/", {"q": "anna"}).json()["results"][0]["absence"] == ""
    assert user_client.get("/beitraege/erwaehnen/", {"q": ""}).json() == {"results": []}
    assert user_client.get("/beitraege/erwaehnen/", {"q": "a\x00"}).status_code == 400  # intranet.validators


@pytest.mark.django_db
def test_mention_suggestions_cost_the_same_for_12_or_30_people(user_client, user, department):
    # the people with their stand-ins joined (1) and their running absences (1), whatever their number
    for i in range(12):
        person = make_user(f"max.nr{i}", department=department, first_name="Max", last_name=f"Nr{i}")
        away(person, deputy=user)
    user_client.get("/beitraege/erwaehnen/", {"q": "max"})  # the session's first-use writes
    with CaptureQueriesContext(connection) as first:
        user_client.get("/beitraege/erwaehnen/", {"q": "max"})
    for i in range(12, 30):
        person = make_user(f"max.nr{i}", department=department, first_name="Max", last_name=f"Nr{i}")
        away(person, deputy=user)
    with CaptureQueriesContext(connection) as second:
        body = user_client.get("/beitraege/erwaehnen/", {"q": "max"}).json()
    assert len(body["results"]) == 8
    assert len(first) == len(second)


@pytest.mark.django_db
@pytest.mark.search_index
def test_header_suggestions_say_who_is_away(user_client, user, other_user):
    from modelsearch import index

    away(other_user, deputy=user)
    index.insert_or_update_object(other_user.profile)
    rows = user_client.get("/suche/vorschlaege/", {"q": "Mehmet"}).json()["results"]
    person = next(row for row in rows if row["type"] == "person")
    assert person["label"] == f"Mehmet Yılmaz – abwesend bis {days(5):%d.%m.%Y}, vertreten durch Anna Schmidt"


@pytest.mark.django_db
def test_profile_shows_whom_to_turn_to_today(user_client, user, other_user, department):
    Profile.objects.filter(user=user).update(phone="0421 361-1101")
    away(other_user, deputy=user, note="Urlaub")
    html = user_client.get(f"/personen/{other_user.username}/").content.decode()
    assert "Wer ist zuständig?" in html
    assert "Heute ansprechbar" in html
    assert "in Vertretung für Mehmet Yılmaz" in html
    assert "0421 361-1101" in html and "Einheit: Bürgeramt" in html
    assert "Wer ist zuständig?" not in user_client.get(f"/personen/{user.username}/").content.decode()


@pytest.mark.django_db
def test_privacy_export_holds_the_absences(user_client, user, other_user):
    away(user, deputy=other_user, note="Kur")
    data = user_client.post("/personen/datenschutz/export/").json()
    assert data["people"]["profile"]["absences"] == [
        {
            "starts_on": days(0).isoformat(),
            "ends_on": days(5).isoformat(),
            "note": "Kur",
            "deputy": other_user.email,
        }
    ]
    assert "absence_note" not in data["people"]["profile"]
