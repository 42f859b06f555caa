"""GET /api/v1/pages and /pages/{id}: only what the user may see (visible_pages), with trust data."""

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from home.models import DepartmentPage, WikiPage
from tests.home.conftest import add_page, rich


@pytest.fixture
def section(home_page, department):
    return add_page(home_page, DepartmentPage(title="Bürgeramt", slug="buergeramt", department=department))


@pytest.fixture
def wiki(section, user):
    page = add_page(
        section,
        WikiPage(
            title="Meldebescheinigung ausstellen",
            slug="meldebescheinigung",
            body=rich("Vorgehen im <b>Bürgerbüro</b>"),
            content_owner=user,
        ),
    )
    page.tags.add("Meldewesen")
    page.save_revision().publish()
    return page


@pytest.fixture
def restricted(section, other_user):
    page = add_page(section, WikiPage(title="Personalratssache", slug="personalrat", body=rich("Vertraulich")))
    group = Group.objects.create(name="Personalrat")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    other_user.groups.add(group)
    return page


def titles(client, query=""):
    return sorted(p["title"] for p in client.get("/api/v1/pages" + query).json()["results"])


def test_lists_visible_pages_with_type_owner_tags_and_review_dates(token_client, wiki, user):
    body = token_client.get("/api/v1/pages").json()
    assert body["count"] == 2
    page = next(p for p in body["results"] if p["id"] == wiki.pk)
    assert page["type"] == "wiki"
    assert page["url"] == "/buergeramt/meldebescheinigung/"
    assert page["owner"] == {"username": user.username, "name": "Anna Schmidt"}
    assert page["tags"] == ["Meldewesen"]
    assert page["department"] == "buergeramt"
    assert page["review_due"] and page["is_review_due"] is False


def test_filters_by_type_department_tag_and_review_due(token_client, wiki, section):
    assert titles(token_client, "?type=department") == ["Bürgeramt"]
    assert titles(token_client, "?type=wiki&department=buergeramt") == ["Meldebescheinigung ausstellen"]
    assert titles(token_client, "?tag=meldewesen") == ["Meldebescheinigung ausstellen"]
    assert titles(token_client, "?department=bauamt") == []
    assert titles(token_client, "?review_due=true") == []
    WikiPage.objects.filter(pk=wiki.pk).update(review_due=datetime.date(2020, 1, 1))
    assert titles(token_client, "?review_due=true") == ["Meldebescheinigung ausstellen"]
    assert titles(token_client, "?review_due=false") == ["Bürgeramt"]
    assert token_client.get("/api/v1/pages?type=blog").status_code == 422


def test_one_page_with_rendered_body_and_trust_data(token_client, wiki):
    body = token_client.get(f"/api/v1/pages/{wiki.pk}").json()
    assert "Vorgehen im <b>Bürgerbüro</b>" in body["body_html"]
    assert body["review_interval_months"] == 12 and body["last_reviewed_by"] is None


def test_restricted_pages_are_invisible_to_outsiders_and_visible_to_members(user, other_user, restricted, wiki):
    from django.test import Client

    from tests.api.conftest import token_for

    outsider = Client(headers={"Authorization": f"Bearer {token_for(user)}"})
    member = Client(headers={"Authorization": f"Bearer {token_for(other_user)}"})
    assert "Personalratssache" not in titles(outsider)
    assert outsider.get(f"/api/v1/pages/{restricted.pk}").status_code == 404
    assert "Personalratssache" in titles(member)
    assert member.get(f"/api/v1/pages/{restricted.pk}").status_code == 200


def test_drafts_are_not_listed(token_client, section):
    draft = WikiPage(title="Entwurf", slug="entwurf", live=False)
    section.add_child(instance=draft)
    assert "Entwurf" not in titles(token_client)
    assert token_client.get(f"/api/v1/pages/{draft.pk}").status_code == 404


def test_the_list_costs_the_same_queries_for_few_or_many_pages(
    token_client, section, restricted, django_assert_num_queries
):
    token_client.get("/api/v1/pages")  # records the token's last use

    def fetch(expected):
        # 1 token+user, 2 view restrictions (+ the user's groups), 1 count, 1 pages with owner and
        # department, 1 tags, 1 the site's root for URLs (content types are cached)
        with django_assert_num_queries(7):
            assert token_client.get("/api/v1/pages?limit=200").json()["count"] == expected

    fetch(1)
    for n in range(20):
        page = add_page(section, WikiPage(title=f"Seite {n}", slug=f"seite-{n}"))
        page.tags.add(f"thema-{n}")
        page.save_revision().publish()
    fetch(21)
