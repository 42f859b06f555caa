import pytest
from django.core.management import call_command

from home.models import DepartmentPage
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
    assert DepartmentPage.objects.count() >= len(REQUIRED_DEPARTMENTS)  # the command includes the wiki
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


@pytest.mark.django_db
def test_loading_the_demo_prints_a_short_summary_not_a_line_per_page(caplog):
    """`make run` shows the demo logins after this command: Wagtail's "Page created" /
    "Published" line for each demo page (about 110) would bury them."""
    import io

    out = io.StringIO()
    with caplog.at_level("INFO"):
        call_command("load_demo_data", "--no-index", stdout=out)
    assert not [r.getMessage() for r in caplog.records if r.levelname == "INFO"]
    assert len(out.getvalue().splitlines()) <= 10
    assert "Demo data loaded." in out.getvalue()
