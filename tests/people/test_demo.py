"""The demo staff of Stadt Musterstadt: 40+ people with expertise, deputies and languages."""

import pytest

from people import demo
from people.models import Profile, TaggedExpertise, User
from tests.conftest import sign_in


@pytest.mark.django_db
def test_demo_staff_are_complete_and_loading_twice_changes_nothing(client):
    first = demo.load()
    counts = (User.objects.count(), Profile.objects.count(), TaggedExpertise.objects.count())
    assert first["users_created"] == 47
    assert Profile.objects.filter(user__is_active=True).count() >= 40
    staff = Profile.objects.exclude(user__username="admin")
    assert staff.exclude(responsibilities="").count() == staff.count()
    assert staff.filter(deputy__isnull=False).count() == staff.count()
    assert staff.exclude(languages="").count() == staff.count()
    assert all(p.expertise.exists() for p in staff)
    second = demo.load()
    assert second == {"users_created": 0, "profiles_completed": 0}
    assert (User.objects.count(), Profile.objects.count(), TaggedExpertise.objects.count()) == counts

    # "Wer kennt sich mit Vergaberecht aus?" finds the Vergabestelle and others in the demo data.
    sign_in(client, models_user("anna.schmidt"))
    response = client.get("/personen/", {"q": "Wer kennt sich mit Vergaberecht aus?"})
    found = {p.user.username for p in response.context["page"].object_list}
    assert {"birgit.lehmann", "stefan.koch", "christian.scholz"} <= found


@pytest.mark.django_db
def test_demo_keeps_what_people_changed_themselves():
    demo.load()
    profile = Profile.objects.get(user__username="anna.schmidt")
    profile.responsibilities = "Nur noch Meldebescheinigungen"
    profile.save()
    demo.load()
    assert Profile.objects.get(pk=profile.pk).responsibilities == "Nur noch Meldebescheinigungen"


def models_user(username):
    return User.objects.get(username=username)


@pytest.mark.django_db
def test_demo_has_a_unit_tree_and_current_absences_with_stand_ins(client):
    from people.models import Absence, Department

    demo.load()
    dezernat = Department.objects.get(name="Dezernat II – Bürgerdienste, Bauen und Soziales")
    assert dezernat.kind == Department.Kind.DIRECTORATE
    assert set(dezernat.children.values_list("name", flat=True)) >= {"Bürgeramt", "Bauamt"}
    kasse = Department.objects.get(name="Stadtkasse")
    assert (kasse.kind, kasse.parent.name, kasse.parent.parent.kind) == ("section", "Kämmerei", "directorate")
    assert Absence.objects.count() == 2
    demo.load()
    assert Absence.objects.count() == 2  # loading again adds none

    sign_in(client, models_user("anna.schmidt"))
    html = client.get("/personen/mehmet.yilmaz/").content.decode()
    assert "vertreten durch Sophie Krüger" in html or "represented by Sophie Krüger" in html
