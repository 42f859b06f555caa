import pytest
from django.core.management import call_command

from people.models import Department, Profile, User

REQUIRED_DEPARTMENTS = {
    "Bürgeramt",
    "Bauamt",
    "Ordnungsamt",
    "Personalamt",
    "Kämmerei",
    "Feuerwehr",
    "Stadtbibliothek",
    "IT",
}


@pytest.mark.django_db
def test_demo_data_builds_a_city_administration_and_runs_again_without_duplicates():
    call_command("load_demo_data", "--no-index", stdout=open("/dev/null", "w"))
    departments = set(Department.objects.values_list("name", flat=True))
    assert REQUIRED_DEPARTMENTS <= departments
    assert Profile.objects.exclude(department=None).count() >= 40
    counts = (User.objects.count(), Department.objects.count(), Profile.objects.count())

    call_command("load_demo_data", "--no-index", stdout=open("/dev/null", "w"))
    assert (User.objects.count(), Department.objects.count(), Profile.objects.count()) == counts


@pytest.mark.django_db
def test_printed_demo_logins_work(client):
    call_command("load_demo_data", "--no-index", stdout=open("/dev/null", "w"))
    from people.demo import logins

    email, password, _ = logins()[0]
    response = client.post("/konto/login/", {"login": email, "password": password})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
