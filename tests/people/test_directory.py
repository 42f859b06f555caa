"""The staff directory: search by name, department, job title, responsibilities and expertise,
filters, A–Z, department pages — with a fixed number of queries however many people there are."""

import pytest
from django.utils import timezone

from people.models import Absence, Department, Profile
from tests.conftest import make_user

DIRECTORY = "/personen/"


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


def update(user, **fields):
    profile = Profile.objects.get(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()


@pytest.fixture
def staff(db, department):
    """A few colleagues across two departments."""
    kaemmerei = Department.objects.create(name="Kämmerei", short_name="Käm")
    birgit = make_user("birgit.lehmann", department=kaemmerei, first_name="Birgit", last_name="Lehmann")
    update(
        birgit,
        job_title="Vergabestelle",
        responsibilities="Ausschreibungen nach VOB und UVgO",
        languages="Deutsch, Englisch",
    )
    birgit.profile.expertise.add("Vergaberecht", "Haushaltsrecht")
    sven = make_user("sven.koehler", department=kaemmerei, first_name="Sven", last_name="Köhler")
    update(sven, job_title="Sachbearbeiter Steuern und Abgaben", languages="Deutsch, Polnisch")
    sven.profile.expertise.add("Gewerbesteuer")
    oezlem = make_user("oezlem.arslan", department=department, first_name="Özlem", last_name="Arslan")
    update(oezlem, job_title="Sachbearbeiterin Meldewesen", languages="Deutsch, Türkisch")
    gone = make_user("alt.gedient", department=kaemmerei, first_name="Alt", last_name="Gedient", is_active=False)
    gone.profile.expertise.add("Vergaberecht")
    return {"birgit": birgit, "sven": sven, "oezlem": oezlem, "gone": gone, "kaemmerei": kaemmerei}


def names(response) -> list[str]:
    return [p.user.username for p in response.context["page"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Wer kennt sich mit Vergaberecht aus?", ["birgit.lehmann"]),
        ("vergaberecht", ["birgit.lehmann"]),
        ("Lehmann", ["birgit.lehmann"]),
        ("özlem", ["oezlem.arslan"]),
        ("koehler", ["sven.koehler"]),
        ("Köhler", ["sven.koehler"]),
        ("Kämmerei", ["sven.koehler", "birgit.lehmann"]),
        ("Käm", ["sven.koehler", "birgit.lehmann"]),
        ("Steuern", ["sven.koehler"]),
        ("Ausschreibungen", ["birgit.lehmann"]),
        ("Türkisch", ["oezlem.arslan"]),
        ("Kämmerei Gewerbesteuer", ["sven.koehler"]),
        ("Feuerwehr", []),
    ],
)
def test_search_finds_people_by_what_they_know_and_do(user_client, staff, q, expected):
    response = user_client.get(DIRECTORY, {"q": q})
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.django_db
def test_search_page_is_german_and_says_how_many(user_client, staff):
    html = user_client.get(DIRECTORY, {"q": "Vergaberecht"}).content.decode()
    assert "1 Person gefunden" in html
    assert "Birgit Lehmann" in html
    assert "Vergabestelle" in html
    html = user_client.get(DIRECTORY, {"q": "Feuerwehr"}).content.decode()
    assert "Niemand passt zu dieser Suche" in html


@pytest.mark.django_db
def test_deactivated_people_are_never_listed(user_client, staff):
    for params in [{}, {"q": "Gedient"}, {"buchstabe": "G"}, {"thema": "vergaberecht"}]:
        assert "alt.gedient" not in names(user_client.get(DIRECTORY, params))


@pytest.mark.django_db
def test_filters_department_expertise_and_letter(user_client, staff, user):
    assert names(user_client.get(DIRECTORY, {"abteilung": staff["kaemmerei"].slug})) == [
        "sven.koehler",
        "birgit.lehmann",
    ]
    assert names(user_client.get(DIRECTORY, {"thema": "gewerbesteuer"})) == ["sven.koehler"]
    assert names(user_client.get(DIRECTORY, {"buchstabe": "L"})) == ["birgit.lehmann"]
    assert names(user_client.get(DIRECTORY, {"buchstabe": "k"})) == ["sven.koehler"]
    combined = user_client.get(DIRECTORY, {"abteilung": staff["kaemmerei"].slug, "buchstabe": "S"})
    assert names(combined) == []
    assert names(user_client.get(DIRECTORY, {"abteilung": "gibt-es-nicht"})) == names(user_client.get(DIRECTORY))


@pytest.mark.django_db
def test_umlauts_are_filed_under_their_letter(user_client, department):
    make_user("o.oe", department=department, first_name="Olaf", last_name="Özdemir")
    assert names(user_client.get(DIRECTORY, {"buchstabe": "O"})) == ["o.oe"]


@pytest.mark.django_db
def test_nonsense_parameters_are_ignored(user_client, staff):
    response = user_client.get(DIRECTORY, {"buchstabe": "<script>", "seite": "999", "q": "x" * 500})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_z_links_keep_the_other_filters(user_client, staff):
    html = user_client.get(DIRECTORY, {"abteilung": staff["kaemmerei"].slug}).content.decode()
    assert f"?abteilung={staff['kaemmerei'].slug}&amp;buchstabe=L" in html


@pytest.mark.django_db
def test_department_page_shows_its_people(user_client, staff):
    response = user_client.get(f"/personen/abteilungen/{staff['kaemmerei'].slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Birgit Lehmann" in html and "Sven Köhler" in html
    assert "Gedient" not in html and "Özlem" not in html
    assert "2 Personen" in html
    assert user_client.get("/personen/abteilungen/gibt-es-nicht/").status_code == 404


def page_overhead(client) -> int:
    """Queries every signed-in page costs (session, user, the header's permission check, unread
    notifications, urgent notices...): measured on the privacy page, which adds none of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/personen/datenschutz/").status_code == 200
    return len(queries)


def _many_people(department, count, start=0):
    for i in range(start, start + count):
        user = make_user(f"person.nr{i:04d}", department=department, first_name="Person", last_name=f"Nr{i:04d}")
        user.profile.expertise.add("Vergaberecht", f"Thema {i % 7}")
        if i % 2:
            Profile.objects.filter(user=user).update(deputy_id=user.pk - 1)
            Absence.objects.create(
                user=user, starts_on=timezone.localdate(), ends_on=timezone.localdate(), deputy_id=user.pk - 1
            )


@pytest.mark.django_db
def test_directory_costs_the_same_queries_for_20_or_200_people(user_client, department, django_assert_num_queries):
    # the page's overhead + departments for the filter (1), popular subjects (1), count (1),
    # the page of people with user, department, deputy and default stand-ins joined (1), their
    # running absences with the named deputies (1), their tags (1) = 6
    overhead = page_overhead(user_client)
    _many_people(department, 20)
    with django_assert_num_queries(overhead + 6):
        first = user_client.get(DIRECTORY, {"q": "Vergaberecht"})
    assert "abwesend bis" in first.content.decode()
    _many_people(department, 180, start=20)
    with django_assert_num_queries(overhead + 6):
        second = user_client.get(DIRECTORY, {"q": "Vergaberecht"})
    assert len(first.context["page"].object_list) == 21 or len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 50
    assert second.context["page"].paginator.count == 200


@pytest.mark.django_db
def test_department_page_query_count_does_not_grow(user_client, department, django_assert_num_queries):
    # the page's overhead + the department (1), its people with joins (1), their absences (1),
    # their tags (1) = 4
    overhead = page_overhead(user_client)
    _many_people(department, 10)
    with django_assert_num_queries(overhead + 4):
        user_client.get(f"/personen/abteilungen/{department.slug}/")
    _many_people(department, 60, start=10)
    with django_assert_num_queries(overhead + 4):
        user_client.get(f"/personen/abteilungen/{department.slug}/")


@pytest.mark.django_db
def test_pages_of_fifty(user_client, department):
    _many_people(department, 60)
    first = user_client.get(DIRECTORY)
    html = first.content.decode()
    assert "Seite 1 von 2" in html
    assert "seite=2" in html
    second = user_client.get(DIRECTORY, {"seite": 2})
    assert len(second.context["page"].object_list) == 11  # 60 + the signed-in user
