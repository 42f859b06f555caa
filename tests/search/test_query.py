# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""search.query.search on real German sentences: stemming, folding, compounds, typos, ranking,
facets and filters — through the one function the page and the API call."""

import pytest

from search import query
from tests.search.ui_fixtures import city, fresh_index, whoosh_only  # noqa: F401

pytestmark = pytest.mark.django_db


def titles(result):
    return [hit.title for hit in result.hits]


def find(user, q, **kwargs):
    return query.search(user=user, q=q, **kwargs)


@whoosh_only
def test_plural_finds_singular(city):
    assert "Antrag auf Akteneinsicht" in titles(find(city.user, "Anträge"))


@whoosh_only
def test_genehmigungen_finds_genehmigung(city):
    assert "Genehmigung von Dienstreisen" in titles(find(city.user, "Genehmigungen"))


@whoosh_only
@pytest.mark.parametrize("q", ["Strasse", "Straße", "STRASSE"])
def test_sharp_s_and_ss_are_the_same(city, q):
    assert "Sondernutzung der Straße" in titles(find(city.user, q))


@whoosh_only
@pytest.mark.parametrize("q", ["Buerger", "Bürger"])
def test_umlaut_and_transliteration_are_the_same(city, q):
    assert "Bürgerbefragung 2026" in titles(find(city.user, q))


@whoosh_only
def test_antrag_finds_compounds_with_the_exact_word_first(city):
    found = titles(find(city.user, "Antrag"))
    assert {"Antrag auf Akteneinsicht", "Bauantrag einreichen", "Urlaubsantrag stellen"} <= set(found)
    assert found[0] == "Antrag auf Akteneinsicht"


@whoosh_only
def test_typo_still_finds_personalrat(city):
    assert "Personalrat Sprechstunde" in titles(find(city.user, "Persnalrat"))


def test_title_match_outranks_body_match(city):
    # "Bürgeramt" is the title of the section page and only in the body of the Akteneinsicht page
    found = titles(find(city.user, "Bürgeramt", filters=query.Filters(types=["page"])))
    assert found.index("Bürgeramt") < found.index("Antrag auf Akteneinsicht")


def test_fresh_reviewed_page_outranks_stale_page_at_equal_relevance(city):
    import datetime

    from django.utils import timezone

    from home.models import ContentPage

    today = timezone.localdate()
    page = ContentPage.objects.get(pk=city.antrag.pk)
    assert query._fresh(page, 1.0) == 1.0
    page.last_reviewed, page.review_due = today, today + datetime.timedelta(days=100)
    assert query._fresh(page, 1.0) > 1.0
    page.review_due = today - datetime.timedelta(days=1)
    assert query._fresh(page, 1.0) < 1.0


def test_one_list_over_pages_posts_and_people(city):
    result = find(city.user, "Bürgeramt")
    assert {hit.type for hit in result.hits} >= {"page", "post"}
    people = find(city.user, "Baugenehmigungen")
    assert ("person", "Martina Müller") in [(hit.type, hit.title) for hit in people.hits]
    hit = next(hit for hit in people.hits if hit.type == "person")
    assert hit.url == city.person.profile.get_absolute_url() and hit.department == "Bauamt"


def test_hits_carry_url_department_tags_and_highlighted_snippet(city):
    result = find(city.user, "Öffnungszeiten")
    hit = next(hit for hit in result.hits if hit.type == "post")
    assert hit.url == city.post.get_absolute_url()
    assert "<mark>Öffnungszeiten</mark>" in hit.snippet
    assert hit.tags == ["Bürgerservice"]
    assert hit.updated is not None and hit.score > 0


def test_snippet_is_escaped_and_only_marks(city):
    snippet = query.highlight('<script>alert("x")</script> Antrag stellen', "Antrag")
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>Antrag</mark>" in snippet


@whoosh_only
def test_type_facet_counts_and_type_filter(city):
    result = find(city.user, "Antrag")
    assert result.facets["type"]["page"] == 3
    assert result.count == sum(result.facets["type"].values())
    only_posts = find(city.user, "Antrag", filters=query.Filters(types=["post"]))
    assert only_posts.count == 0 and all(hit.type == "post" for hit in only_posts.hits)


@whoosh_only
def test_department_facet_and_filter(city):
    result = find(city.user, "Antrag")
    by_name = {row["name"]: row["count"] for row in result.facets["department"]}
    assert by_name == {"Bürgeramt": 2, "Bauamt": 1}
    bau = find(city.user, "Antrag", filters=query.Filters(department=city.bauamt.pk))
    assert titles(bau) == ["Bauantrag einreichen"]


def test_tag_facet_and_filter(city):
    result = find(city.user, "Öffnungszeiten")
    assert [row["name"] for row in result.facets["tag"]] == ["Bürgerservice"]
    tagged = find(city.user, "Bürgeramt", filters=query.Filters(tag=result.facets["tag"][0]["slug"]))
    assert [hit.type for hit in tagged.hits] == ["post"]


@whoosh_only
def test_date_filter_keeps_dated_content_only(city):
    import datetime

    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert find(city.user, "Antrag", filters=query.Filters(date_from=tomorrow)).count == 0
    today = find(city.user, "Bürgeramt", filters=query.Filters(date_from=timezone.localdate()))
    assert today.count > 0 and "person" not in {hit.type for hit in today.hits}


@whoosh_only
def test_sort_by_date_and_pagination(city):
    by_date = find(city.user, "Antrag", sort="date")
    dates = [hit.updated for hit in by_date.hits]
    assert dates == sorted(dates, reverse=True)
    first = find(city.user, "Antrag", limit=2)
    second = find(city.user, "Antrag", limit=2, offset=2)
    assert len(first.hits) == 2 and len(second.hits) == 1
    assert not set(titles(first)) & set(titles(second))
    assert first.count == second.count == 3


def test_meinten_sie_when_nothing_matches(city):
    result = find(city.user, "Genehmigunk Dienstreisn")
    if not hasattr(query.get_search_backend(), "suggest"):
        pytest.skip("the database backend has no spelling dictionary; it makes no suggestions")
    if result.count:
        pytest.skip("the fuzzy fallback already found the page; no suggestion needed")
    assert result.suggestion


def test_no_suggestion_from_words_only_in_restricted_content(city):
    result = find(city.user, "Geheimprotokol")
    assert result.count == 0
    assert result.suggestion is None or "geheimprotokoll" not in result.suggestion.lower()


def test_empty_query_finds_nothing(city):
    result = find(city.user, "   ")
    assert result.count == 0 and result.hits == []


def test_header_suggestions_pages_people_tags(city):
    rows = query.suggestions(user=city.user, q="Bürgerb")
    assert {"type": "page", "label": "Bürgerbefragung 2026", "url": city.buerger.url} in rows
    people = query.suggestions(user=city.user, q="Martin")
    assert any(row["type"] == "person" and row["label"] == "Martina Müller" for row in people)
    tags = query.suggestions(user=city.user, q="Bürgerserv")
    assert any(row["type"] == "tag" and row["label"] == "Bürgerservice" for row in tags)
