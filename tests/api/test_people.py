"""GET /api/v1/people and /people/{username}: the directory's reads, the directory's rules."""

from people.models import Department
from tests.conftest import make_user


def test_lists_active_staff_with_their_department_and_expertise(token_client, user, other_user):
    user.profile.expertise.add("Vergaberecht")
    body = token_client.get("/api/v1/people").json()
    assert body["count"] == 2
    anna = next(p for p in body["results"] if p["username"] == "anna.schmidt")
    assert anna["department"]["name"] == "Bürgeramt"
    assert anna["expertise"] == ["Vergaberecht"]
    assert anna["url"] == "/personen/anna.schmidt/"


def test_filters_by_search_department_and_expertise(token_client, user, other_user):
    bauamt = Department.objects.create(name="Bauamt", short_name="BauA")
    make_user("klaus.hoffmann", department=bauamt, first_name="Klaus", last_name="Hoffmann")
    other_user.profile.expertise.add("Meldewesen")
    names = lambda query: [p["username"] for p in token_client.get("/api/v1/people" + query).json()["results"]]  # noqa: E731
    assert names("?q=yilmaz") == ["mehmet.yilmaz"]
    assert names("?department=bauamt") == ["klaus.hoffmann"]
    assert names("?expertise=meldewesen") == ["mehmet.yilmaz"]
    assert names("?department=gibt-es-nicht") == []


def test_paginates_with_limit_and_offset(token_client, user, other_user):
    body = token_client.get("/api/v1/people?limit=1&offset=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["offset"] == 1


def test_inactive_staff_are_neither_listed_nor_found(token_client, user, other_user):
    other_user.is_active = False
    other_user.save()
    assert [p["username"] for p in token_client.get("/api/v1/people").json()["results"]] == ["anna.schmidt"]
    assert token_client.get("/api/v1/people/mehmet.yilmaz").status_code == 404


def test_one_person_with_deputy_and_responsibilities(token_client, user, other_user):
    profile = user.profile
    profile.deputy = other_user
    profile.responsibilities = "Meldebescheinigungen"
    profile.languages = "Deutsch, Türkisch"
    profile.save()
    body = token_client.get("/api/v1/people/anna.schmidt").json()
    assert body["deputy"] == "mehmet.yilmaz"
    assert body["responsibilities"] == "Meldebescheinigungen"
    assert body["languages"] == ["Deutsch", "Türkisch"]
    assert token_client.get("/api/v1/people/niemand").status_code == 404


def test_the_list_costs_the_same_queries_for_3_or_30_people(token_client, department, django_assert_num_queries):
    token_client.get("/api/v1/people")  # records the token's last use (at most once a minute)

    def fetch(expected_count):
        # 1 token with its user, 1 count, 1 profiles with user and department, 1 running absences,
        # 1 expertise tags
        with django_assert_num_queries(5):
            assert token_client.get("/api/v1/people?limit=100").json()["count"] == expected_count

    for n in range(3):
        make_user(f"person.{n}", department=department).profile.expertise.add(f"Thema {n}")
    fetch(4)
    for n in range(3, 30):
        make_user(f"person.{n}", department=department).profile.expertise.add(f"Thema {n}", "Excel")
    fetch(31)


def test_one_person_with_absence_stand_in_and_contact_today(token_client, user, other_user, department):
    import datetime

    from django.utils import timezone

    from people.models import Absence, Profile

    Profile.objects.filter(user=other_user).update(phone="0421 361-1102")
    body = token_client.get("/api/v1/people/anna.schmidt").json()
    assert body["absence"] is None
    assert body["contact_today"]["username"] == "anna.schmidt"

    today = timezone.localdate()
    Absence.objects.create(user=user, starts_on=today, ends_on=today + datetime.timedelta(days=3), note="Urlaub")
    Profile.objects.filter(user=user).update(deputy=other_user)  # the standing deputy stands in
    body = token_client.get("/api/v1/people/anna.schmidt").json()
    assert body["absence"] == {
        "until": (today + datetime.timedelta(days=3)).isoformat(),
        "note": "Urlaub",
        "stand_in": {
            "username": "mehmet.yilmaz",
            "name": "Mehmet Yılmaz",
            "department": "Bürgeramt",
            "phone": "0421 361-1102",
            "url": "/personen/mehmet.yilmaz/",
        },
    }
    assert body["contact_today"]["username"] == "mehmet.yilmaz"
    assert "absence_note" not in body


def test_the_schema_describes_absence_and_contact(client, db):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    person = schema["PersonDetailOut"]["properties"]
    assert {"absence", "contact_today", "deputy"} <= set(person)
    assert "Who stands in today" in schema["AbsenceOut"]["properties"]["stand_in"]["description"]
    assert "contact" in schema["PageDetailOut"]["properties"]
