"""Mandatory reading through the API: GET /api/v1/me/reading-list, POST /pages/{id}/acknowledge
and /posts/{id}/acknowledge, GET /pages/{id}/acknowledgements (issue 15, point 1)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from home.models import DepartmentPage, ReadingConfirmation, WikiPage
from people.models import Department
from posts import actions as post_actions
from tests.api.conftest import post_in, token_for
from tests.conftest import make_group_member, make_user
from tests.home.conftest import add_page, publish, rich


@pytest.fixture
def section(home_page, department):
    return add_page(home_page, DepartmentPage(title="Bürgeramt", slug="buergeramt", department=department))


@pytest.fixture
def owner(department):
    return make_user("olga.owner", department=department, first_name="Olga", last_name="Owner")


@pytest.fixture
def outsider(db):
    return make_user("petra.lang", department=Department.objects.create(name="Bauamt"))


def mandatory(page, *, departments, instruction=False):
    page.reading_required = True
    page.reading_departments = list(departments)
    page.reading_due = timezone.localdate() + datetime.timedelta(days=7)
    page.service_instruction = instruction
    return publish(page)


@pytest.fixture
def rule(section, department, owner):
    page = add_page(
        section, WikiPage(title="Datenschutz", slug="datenschutz", body=rich("Sperren"), content_owner=owner)
    )
    return mandatory(page, departments=[department])


JSON = "application/json"


def bearer(user, scope="write") -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(user, scope)}"})


@pytest.mark.django_db
def test_reading_list_acknowledge_and_aggregate(rule, user, owner, other_user):
    client = bearer(user)
    listed = client.get("/api/v1/me/reading-list").json()
    assert listed["count"] == 1
    item = listed["results"][0]
    assert (item["id"], item["type"], item["title"], item["version"]) == (rule.pk, "page", "Datenschutz", 1)
    assert item["url"] == rule.url and item["service_instruction"] is False

    # no body at all (curl -X POST): the version is optional
    done = client.generic("POST", f"/api/v1/pages/{rule.pk}/acknowledge", b"", content_type=JSON)
    assert done.status_code == 200
    assert done.json()["created"] is True and done.json()["version"] == 1
    again = client.post(f"/api/v1/pages/{rule.pk}/acknowledge", {"version": 1}, content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert ReadingConfirmation.objects.count() == 1
    assert client.get("/api/v1/me/reading-list").json() == {"count": 0, "results": []}

    aggregate = bearer(owner, "read").get(f"/api/v1/pages/{rule.pk}/acknowledgements")
    assert aggregate.status_code == 200
    body = aggregate.json()
    # Bürgeramt: anna, mehmet, olga asked; anna confirmed
    assert (body["asked"], body["confirmed"], body["open"]) == (3, 1, 2)
    assert body["departments"] == [
        {"department": "buergeramt", "name": "Bürgeramt", "asked": 3, "confirmed": 1, "open": 2}
    ]
    assert body["not_confirmed"] is None  # not a service instruction: counts only


@pytest.mark.django_db
def test_acknowledging_what_does_not_ask_you_is_not_found(rule, outsider, section):
    client = bearer(outsider)
    response = client.post(f"/api/v1/pages/{rule.pk}/acknowledge", content_type=JSON)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    plain = add_page(section, WikiPage(title="Ohne Pflicht", slug="ohne", body=rich("x")))
    for page_id in (plain.pk, 999999, 2**60):
        assert client.post(f"/api/v1/pages/{page_id}/acknowledge", content_type=JSON).status_code == 404
    assert client.post("/api/v1/pages/abc/acknowledge").status_code == 404
    # even with a version, nothing about the page is revealed
    assert (
        client.post(f"/api/v1/pages/{rule.pk}/acknowledge", {"version": 7}, content_type="application/json").status_code
        == 404
    )
    assert not ReadingConfirmation.objects.exists()


@pytest.mark.django_db
def test_bad_acknowledgements_are_refused_and_record_nothing(rule, user):
    url = f"/api/v1/pages/{rule.pk}/acknowledge"
    read_only = bearer(user, "read").post(url, content_type=JSON)
    assert read_only.status_code == 403 and read_only.json()["error"]["code"] == "insufficient_scope"
    client = bearer(user)
    stale = client.post(url, {"version": 2}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["error"]["fields"][0]["field"] == "version"
    wrong_type = client.post(url, {"version": "eins"}, content_type="application/json")
    assert wrong_type.status_code in (400, 422) and wrong_type.json()["error"]["fields"][0]["field"] == "version"
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert not ReadingConfirmation.objects.exists()
    anonymous = Client().post(url, content_type=JSON)
    assert anonymous.status_code == 401


@pytest.mark.django_db
def test_the_aggregate_is_not_found_for_those_who_may_not_see_it(rule, user, outsider, section):
    for person in (user, outsider):
        response = bearer(person, "read").get(f"/api/v1/pages/{rule.pk}/acknowledgements")
        assert response.status_code == 404
    plain = add_page(section, WikiPage(title="Ohne Pflicht", slug="ohne", body=rich("x")))
    assert bearer(user, "read").get(f"/api/v1/pages/{plain.pk}/acknowledgements").status_code == 404


@pytest.mark.django_db
def test_a_service_instruction_names_who_has_not_confirmed_to_its_owner(rule, owner, user, other_user, department):
    mandatory(rule, departments=[department], instruction=True)
    bearer(user).post(f"/api/v1/pages/{rule.pk}/acknowledge", content_type=JSON)
    body = bearer(owner, "read").get(f"/api/v1/pages/{rule.pk}/acknowledgements").json()
    # by department, then last name
    assert [person["username"] for person in body["not_confirmed"]] == ["olga.owner", "mehmet.yilmaz"]


@pytest.mark.django_db
def test_an_official_post_of_mandatory_reading_is_acknowledged(department, user, outsider):
    editor = make_group_member("erik.redaktion", "Redaktion", department=department)
    channel = post_actions.channel_for_department(department)
    post = post_in(channel, editor, text="Neue Dienstzeiten ab Montag")
    post_actions.set_official(post=post, user=editor, official=True)
    post_actions.set_post_reading(post=post, user=editor, required=True, departments=[department])
    listed = bearer(user).get("/api/v1/me/reading-list").json()["results"]
    assert [(item["id"], item["type"]) for item in listed] == [(post.pk, "post")]
    assert bearer(user).post(f"/api/v1/posts/{post.pk}/acknowledge", content_type=JSON).json()["created"] is True
    assert bearer(outsider).post(f"/api/v1/posts/{post.pk}/acknowledge", content_type=JSON).status_code == 404
    assert bearer(user).post("/api/v1/posts/999999/acknowledge", content_type=JSON).status_code == 404


@pytest.mark.django_db
def test_the_reading_list_costs_the_same_queries_for_few_and_many(
    section, department, user, owner, django_assert_num_queries
):
    client = bearer(user, "read")

    def pages(start, count):
        for number in range(start, start + count):
            page = add_page(section, WikiPage(title=f"Regel {number}", slug=f"regel-{number}", body=rich("x")))
            mandatory(page, departments=[department])

    pages(0, 1)
    client.get("/api/v1/me/reading-list")  # fills Django's content-type cache
    # 2 queries: the token (with its user), the list (one query whatever its length)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/me/reading-list").json()["count"] == 1
    for number in range(4):
        Department.objects.create(name=f"Sachgebiet {number}", parent=department)
    pages(1, 5)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/me/reading-list").json()["count"] == 6
