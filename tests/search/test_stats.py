# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""Search statistics: aggregate only (no user, IP or session), and the editors' report."""

import pytest
from django.urls import reverse

from search.models import SearchQueryStat, normalise_query, record_search
from tests.search.ui_fixtures import city, fresh_index  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_table_cannot_hold_who_searched():
    names = {field.name for field in SearchQueryStat._meta.get_fields()}
    assert names == {"id", "day", "query", "searches", "result_count"}


def test_searches_are_counted_per_normalised_query(city, user_client, client):
    user_client.get(reverse("search:search"), {"q": "Bürger  Amt"})
    user_client.get(reverse("search:search"), {"q": "buerger amt"})
    user_client.get(reverse("search:search"), {"q": "Xylophonwartung"})
    user_client.get(reverse("search:search"), {"q": "buerger amt", "page": 2})  # paging is not a new search
    user_client.get(reverse("search:suggestions"), {"q": "Bürg"})  # keystrokes are not counted
    assert normalise_query("Bürger  Amt") == normalise_query("buerger amt")
    rows = {row.query: (row.searches, row.result_count) for row in SearchQueryStat.objects.all()}
    assert rows == {"burger amt": (2, rows["burger amt"][1]), "xylophonwartung": (1, 0)}


def test_report_shows_counts_to_editors(admin_client):
    for _ in range(3):
        record_search(q="Parkausweis", result_count=4)
    record_search(q="Xylophonwartung", result_count=0)
    response = admin_client.get(reverse("search_statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "parkausweis" in html and "<td>3</td>" in html
    zero_part = html.split("Suchanfragen ohne Treffer")[-1]
    assert "xylophonwartung" in zero_part and "parkausweis" not in zero_part
    assert admin_client.get(reverse("search_statistics"), {"days": 90}).status_code == 200


def test_report_is_for_editors_only(user_client):
    response = user_client.get(reverse("search_statistics"))
    assert response.status_code in (302, 403)
