"""Department filters include sub-units when asked (issue 16, point 1): the directory
("mit Untereinheiten"), /api/v1/people and /api/v1/posts (`include_subunits=true`). The units
beneath one are found in one recursive query, so the directory and the org chart cost the same
queries for 20 or 2,000 units."""

import pytest

from people.models import Department
from posts import actions as post_actions
from tests.api.conftest import token_for
from tests.conftest import make_user
from tests.people.test_directory import page_overhead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture
def token_client(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_for(user)}"
    return client


@pytest.fixture
def tree(department):
    """Dezernat II > Bürgeramt (the `department` fixture) > Meldewesen; Bauamt apart."""
    dezernat = Department.objects.create(name="Dezernat II", kind=Department.Kind.DIRECTORATE)
    Department.objects.filter(pk=department.pk).update(parent=dezernat)
    section = Department.objects.create(name="Meldewesen", kind=Department.Kind.SECTION, parent=department)
    bauamt = Department.objects.create(name="Bauamt")
    make_user("sg.person", department=section, first_name="Sina", last_name="Gebiet")
    make_user("amt.person", department=department, first_name="Amelie", last_name="Amt")
    make_user("bau.person", department=bauamt, first_name="Bodo", last_name="Bau")
    return {"dezernat": dezernat, "amt": department, "section": section, "bauamt": bauamt}


def names(response) -> list[str]:
    return sorted(profile.user.username for profile in response.context["page"].object_list)


def test_subtree_ids_are_found_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        ids = Department.subtree_ids(tree["dezernat"].pk)
    assert sorted(ids) == sorted([tree["dezernat"].pk, tree["amt"].pk, tree["section"].pk])
    Department.objects.filter(pk=tree["dezernat"].pk).update(parent=tree["section"])  # a cycle, past the admin
    assert len(Department.subtree_ids(tree["dezernat"].pk)) == 3  # ends all the same


def test_the_directory_includes_sub_units_when_asked(user_client, user, tree):
    just_amt = user_client.get("/personen/", {"abteilung": tree["amt"].slug})
    assert names(just_amt) == ["amt.person", "anna.schmidt"]
    with_subunits = user_client.get("/personen/", {"abteilung": tree["amt"].slug, "untereinheiten": "1"})
    assert names(with_subunits) == ["amt.person", "anna.schmidt", "sg.person"]
    html = with_subunits.content.decode()
    assert '<input type="checkbox" id="people-subunits" name="untereinheiten" value="1" checked>' in html
    assert '<label for="people-subunits">mit Untereinheiten</label>' in html
    top = user_client.get("/personen/", {"abteilung": tree["dezernat"].slug, "untereinheiten": "1"})
    assert names(top) == ["amt.person", "anna.schmidt", "sg.person"]
    assert names(user_client.get("/personen/", {"abteilung": tree["dezernat"].slug})) == []
    # Odd values are "no": the checkbox sends 1 or nothing.
    assert names(user_client.get("/personen/", {"abteilung": tree["amt"].slug, "untereinheiten": "ja"})) == [
        "amt.person",
        "anna.schmidt",
    ]


def test_the_directory_costs_the_same_queries_for_20_or_2000_units(user_client, user, tree, django_assert_num_queries):
    def grow(count, start):
        offices = Department.objects.bulk_create(
            [
                Department(name=f"Amt {n}", slug=f"amt-{n}", parent=tree["dezernat"])
                for n in range(start, start + count // 10)
            ]
        )
        Department.objects.bulk_create(
            [
                Department(name=f"SG {o.pk}-{n}", slug=f"sg-{o.pk}-{n}", parent=o, kind=Department.Kind.SECTION)
                for o in offices
                for n in range(9)
            ]
        )

    query = {"abteilung": tree["dezernat"].slug, "untereinheiten": "1"}
    # the page's overhead + the unit of the filter (1), departments for the filter (1), popular
    # subjects (1), count (1), the people with their joins (1), their absences (1), their tags (1);
    # the sub-units are a subquery of the count and the people = 7
    overhead = page_overhead(user_client)
    grow(20, 0)
    with django_assert_num_queries(overhead + 7):
        assert names(user_client.get("/personen/", query)) == ["amt.person", "anna.schmidt", "sg.person"]
    grow(2000, 2)
    assert Department.objects.count() > 2000
    with django_assert_num_queries(overhead + 7):
        assert names(user_client.get("/personen/", query)) == ["amt.person", "anna.schmidt", "sg.person"]


def test_the_org_chart_costs_the_same_queries_for_20_or_2000_units(user_client, user, tree, django_assert_num_queries):
    def grow(count, start):
        Department.objects.bulk_create(
            [
                Department(name=f"Einheit {n}", slug=f"einheit-{n}", parent=tree["amt"])
                for n in range(start, start + count)
            ]
        )

    grow(20, 0)
    # the page's 7 (see tests/people/test_org_chart.py) + the units with all they show (1) + the
    # site's root (1) = 9
    with django_assert_num_queries(9):
        assert user_client.get("/personen/organisation/").status_code == 200
    grow(1980, 20)
    with django_assert_num_queries(9):
        html = user_client.get("/personen/organisation/").content.decode()
    assert "Einheit 1999" in html


def test_the_people_api_includes_sub_units_when_asked(token_client, user, tree):
    def usernames(**params):
        return sorted(p["username"] for p in token_client.get("/api/v1/people", params).json()["results"])

    assert usernames(department=tree["amt"].slug) == ["amt.person", "anna.schmidt"]
    assert usernames(department=tree["amt"].slug, include_subunits="true") == [
        "amt.person",
        "anna.schmidt",
        "sg.person",
    ]
    assert usernames(department=tree["dezernat"].slug, include_subunits="true") == [
        "amt.person",
        "anna.schmidt",
        "sg.person",
    ]
    response = token_client.get("/api/v1/people", {"department": tree["amt"].slug, "include_subunits": "vielleicht"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "include_subunits"


def test_the_posts_api_filters_by_unit_and_its_sub_units(token_client, user, tree):
    amt_channel = post_actions.channel_for_department(tree["amt"])
    section_channel = post_actions.channel_for_department(tree["section"])
    bau_channel = post_actions.channel_for_department(tree["bauamt"])
    for channel, text in [(amt_channel, "Im Amt"), (section_channel, "Im Sachgebiet"), (bau_channel, "Im Bauamt")]:
        channel.posting_policy = channel.Policy.ALL_STAFF
        channel.save(update_fields=["posting_policy"])
        post_actions.create_post(author=user, channel=channel, text=text, check_limits=False)

    def texts(**params):
        response = token_client.get("/api/v1/posts", params)
        assert response.status_code == 200, response.content
        return sorted(post["text"] for post in response.json()["results"])

    assert texts(department=tree["amt"].slug) == ["Im Amt"]
    assert texts(department=tree["amt"].slug, include_subunits="true") == ["Im Amt", "Im Sachgebiet"]
    assert texts(department=tree["dezernat"].slug, include_subunits="true") == ["Im Amt", "Im Sachgebiet"]
    response = token_client.get("/api/v1/posts", {"department": "gibt-es-nicht"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "department"


def test_a_units_channel_feed_includes_sub_units_when_asked(user_client, user, tree):
    channels = {name: post_actions.channel_for_department(tree[name]) for name in ("amt", "section", "bauamt")}
    for name, text in [("amt", "Im Amt"), ("section", "Im Sachgebiet"), ("bauamt", "Im Bauamt")]:
        channels[name].posting_policy = channels[name].Policy.ALL_STAFF
        channels[name].save(update_fields=["posting_policy"])
        post_actions.create_post(author=user, channel=channels[name], text=text, check_limits=False)
    url = f"/beitraege/kanal/{channels['amt'].slug}/"

    def texts(response):
        return sorted(post.text for post in response.context["posts"])

    assert texts(user_client.get(url)) == ["Im Amt"]
    response = user_client.get(url, {"untereinheiten": "1"})
    assert texts(response) == ["Im Amt", "Im Sachgebiet"]
    html = response.content.decode()
    assert '<label for="feed-subunits">mit Untereinheiten</label>' in html
    assert "untereinheiten=1" in html  # the "new posts" hint and "load older" keep it
    first = min(post.pk for post in response.context["posts"])  # the Amt's post; the Sachgebiet's came after

    def new_posts(**params):
        query = {"scope": "channel", "channel": channels["amt"].slug, "nach": first, **params}
        return user_client.get("/beitraege/neue/", query).content.decode().strip()

    assert new_posts() == ""
    assert "1 neuer Beitrag" in new_posts(untereinheiten="1")
