# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""search.query.search on real German sentences: stemming, folding, compounds, typos, ranking,
facets and filters — through the one function the page and the API call."""

import pytest

from search import hits, query
from tests.search.ui_fixtures import city, fresh_index, whoosh_only, without_typo_search  # noqa: F401

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


@whoosh_only
def test_transposed_letters_are_one_typo_also_at_the_end_of_a_word(city):
    assert "Antrag auf Akteneinsicht" in titles(find(city.user, "Antrga"))
    assert "Personalrat Sprechstunde" in titles(find(city.user, "Persnoalrta"))  # two swaps: two typos
    assert "Personalrat Sprechstunde" not in titles(find(city.user, "Presnoalrta"))  # three: too many


def test_title_match_outranks_body_match(city):
    # "Bürgeramt" is the title of the section page and only in the body of the Akteneinsicht page
    found = titles(find(city.user, "Bürgeramt", filters=query.Filters(types=["page"])))
    assert found.index("Bürgeramt") < found.index("Antrag auf Akteneinsicht")


def test_fresh_reviewed_page_outranks_stale_page_at_equal_relevance(city):
    import datetime

    from django.utils import timezone

    from home.models import ContentPage
    from home.search import fresh

    today = timezone.localdate()
    page = ContentPage.objects.get(pk=city.antrag.pk)
    assert fresh(page, 1.0) == 1.0
    page.last_reviewed, page.review_due = today, today + datetime.timedelta(days=100)
    assert fresh(page, 1.0) > 1.0
    page.review_due = today - datetime.timedelta(days=1)
    assert fresh(page, 1.0) < 1.0


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
    snippet = hits.highlight('<script>alert("x")</script> Antrag stellen', "Antrag")
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert "<mark>Antrag</mark>" in snippet


@whoosh_only
def test_type_facet_counts_and_type_filter(city):
    result = find(city.user, "Antrag")
    assert result.facets["type"]["page"] == 3
    assert result.count == sum(result.facets["type"].values())
    only_posts = find(city.user, "Antrag", filters=query.Filters(types=["post"]))
    assert only_posts.count == 0 and all(hit.type == "post" for hit in only_posts.hits)
    # the types not ticked keep their counts: what ticking them would add (issue 17)
    assert only_posts.facets["type"]["page"] == 3


def test_ticking_a_type_keeps_the_other_types_counts_on_the_page(city, client):
    client.force_login(city.user)
    everything = find(city.user, "Bürgeramt")
    assert everything.facets["type"]["page"] >= 2 and everything.facets["type"]["post"] == 1
    pages_only = find(city.user, "Bürgeramt", filters=query.Filters(types=["page"]))
    assert {hit.type for hit in pages_only.hits} == {"page"} and pages_only.count == everything.facets["type"]["page"]
    assert (
        pages_only.facets["type"]["post"] == 1
        and pages_only.facets["type"]["page"] == everything.facets["type"]["page"]
    )
    html = client.get("/suche/?q=B%C3%BCrgeramt&type=page").content.decode()
    post_box = html[html.index('value="post"') :].split("</label>")[0]
    assert '<span class="badge">1</span>' in post_box


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


def test_meinten_sie_when_nothing_matches(city, without_typo_search):
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


# --- one index query: permissions, filters, counts and facets answered by the index -------------


@whoosh_only
def test_permissions_and_every_filter_are_answered_by_the_index(city, monkeypatch):
    """The Whoosh path never falls back to the per-type database implementation (a window of
    hits per type, filtered afterwards): permissions, filters, sorting and the "Meinten Sie"
    check all run as one index query."""
    import datetime

    from django.utils import timezone

    from search.whoosh import ranked

    def database(*args, **kwargs):
        raise AssertionError("the search fell back to the database implementation")

    monkeypatch.setattr(ranked, "per_source", database)
    tag = find(city.user, "Öffnungszeiten").facets["tag"][0]["slug"]
    today = timezone.localdate()
    for filters in (
        query.Filters(),
        query.Filters(types=["page"]),
        query.Filters(department=city.bauamt.pk),
        query.Filters(tag=tag),
        query.Filters(date_from=today - datetime.timedelta(days=1), date_to=today),
    ):
        for sort in query.SORTS:
            find(city.user, "Antrag Bürgeramt Öffnungszeiten", filters=filters, sort=sort)
    assert find(city.user, "Bürgeramt", filters=query.Filters(tag=tag)).count == 1
    find(city.user, "Genehmigunk Dienstreisn")


@whoosh_only
def test_counts_and_facets_cover_every_match_not_only_the_page_shown(city):
    first = find(city.user, "Antrag", limit=1)
    assert len(first.hits) == 1 and first.count == 3
    assert {row["name"]: row["count"] for row in first.facets["department"]} == {"Bürgeramt": 2, "Bauamt": 1}
    second = find(city.user, "Antrag", limit=1, offset=1)
    assert second.hits[0].title != first.hits[0].title and second.count == 3


@whoosh_only
def test_deactivating_an_account_removes_the_person_from_results_and_counts(city, django_capture_on_commit_callbacks):
    assert find(city.user, "Baugenehmigungen").facets["type"]["person"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        city.person.is_active = False
        city.person.save()
    result = find(city.user, "Baugenehmigungen")
    assert result.facets["type"]["person"] == 0
    assert "Martina Müller" not in titles(result)


@whoosh_only
def test_renaming_an_account_updates_the_person(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        city.person.last_name = "Schulze-Brandt"
        city.person.save(update_fields=["last_name"])
    assert "Martina Schulze-Brandt" in titles(find(city.user, "Schulze"))


@whoosh_only
def test_a_login_does_not_reindex_the_person(city, django_capture_on_commit_callbacks, monkeypatch):
    from wagtail.search import index

    calls = []
    monkeypatch.setattr(index, "insert_or_update_object", calls.append)
    with django_capture_on_commit_callbacks(execute=True):
        city.person.save(update_fields=["last_login"])
    assert calls == []


def test_snippet_of_a_long_text_is_cut_around_the_first_match():
    text = "Einleitung ohne Treffer. " * 200 + "Der Antrag auf Sondernutzung und weitere Anträge. " + "Schluss. " * 200
    snippet = hits.highlight(text, "Antrag")
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>Antrag</mark>" in snippet and "<mark>Anträge</mark>" in snippet
    assert snippet.count("<mark>") == 2 and len(snippet) < hits.SNIPPET_LENGTH + 60
    assert hits.highlight(text, "Xylophon").startswith("Einleitung ohne Treffer.")  # no match: the start


@whoosh_only
def test_page_snippet_is_the_body_text_around_the_match_without_markup(city):
    from home.models import WikiPage
    from tests.home.conftest import add_page

    body = [
        ("paragraph", "<p>" + "Allgemeine Hinweise zur Verwaltung. " * 30 + "</p>"),
        (
            "box",
            {"kind": "warning", "title": "", "text": "<p>Der <b>Sondernutzungsantrag</b> braucht eine Skizze.</p>"},
        ),
    ]
    add_page(city.section, WikiPage(title="Merkblatt Straßenfeste", slug="merkblatt-feste", body=body))
    hit = next(hit for hit in find(city.user, "Skizze").hits if hit.title == "Merkblatt Straßenfeste")
    assert "<mark>Skizze</mark>" in hit.snippet and hit.snippet.startswith("… ")
    assert "<b>" not in hit.snippet and "&lt;b&gt;" not in hit.snippet


@whoosh_only
def test_query_count_does_not_grow_with_the_number_of_matches(city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from home.models import WikiPage
    from tests.home.conftest import add_page, rich

    with CaptureQueriesContext(connection) as few:
        find(city.user, "Antrag")
    for n in range(25):
        add_page(city.section, WikiPage(title=f"Antrag Nummer {n}", slug=f"antrag-{n}", body=rich("Antrag")))
    with CaptureQueriesContext(connection) as many:
        result = find(city.user, "Antrag")
    assert result.count == 28 and len(result.hits) == 20
    assert len(many.captured_queries) <= len(few.captured_queries) + 2


@pytest.fixture
def database_search(settings):
    """Wagtail's database backend (SQLite FTS5 / PostgreSQL), as SEARCH_BACKEND=postgres sets it."""
    conf = {"default": {"BACKEND": "search.database"}}
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf


def test_database_backend_tag_facet_counts_each_page_and_post_once(
    database_search, city, django_capture_on_commit_callbacks
):
    from taggit.models import Tag

    from home.models import PageTag
    from tests.search.ui_fixtures import post

    post(
        city.author,
        "Termine im Bürgeramt nur mit Anmeldung #Bürgerservice",
        city.channel,
        django_capture_on_commit_callbacks,
    )
    tag = Tag.objects.get(name="Bürgerservice")
    PageTag.objects.create(tag=tag, content_object=city.antrag)  # matches "Bürgeramt"
    PageTag.objects.create(tag=tag, content_object=city.urlaub)  # does not
    result = find(city.user, "Bürgeramt")
    assert {hit.title for hit in result.hits} >= {"Antrag auf Akteneinsicht"}
    assert [(row["name"], row["count"]) for row in result.facets["tag"]] == [("Bürgerservice", 3)]


@whoosh_only
@pytest.mark.parametrize(
    "q",
    [
        "Anwohnerpark",  # the first parts of the compound on the page
        "Parkausweis",  # its last parts
        "Park",  # one part inside
        "Anwohner",
    ],
)
def test_a_part_finds_the_compound_on_the_page_at_either_end(city, q):
    """Index-time decompounding (both engines): the page only has "Anwohnerparkausweise" in its
    text, never the query as a word of its own."""
    from home.models import WikiPage
    from tests.home.conftest import add_page, rich

    add_page(
        city.section,
        WikiPage(title="Merkblatt Nummer 7", slug="merkblatt-7", body=rich("Anwohnerparkausweise gibt es im Bürgeramt.")),
    )  # fmt: skip
    assert "Merkblatt Nummer 7" in titles(find(city.user, q))


@whoosh_only
def test_a_page_with_the_word_ranks_above_a_page_with_it_inside_a_compound(city):
    from home.models import WikiPage
    from tests.home.conftest import add_page, rich

    add_page(city.section, WikiPage(title="Merkblatt A", slug="merkblatt-a", body=rich("Der Ausweis für Anwohner.")))
    add_page(city.section, WikiPage(title="Merkblatt B", slug="merkblatt-b", body=rich("Der Anwohnerparkausweis.")))
    found = titles(find(city.user, "Ausweis"))
    assert found.index("Merkblatt A") < found.index("Merkblatt B")


@whoosh_only
def test_the_engine_counts_facets_as_plain_values(city):
    """Both shapes' engines hand facets over as ids and slugs (the Whoosh index's encoded terms
    stay inside the Whoosh engine), so the search reads them without knowing the engine."""
    from modelsearch.backends import get_search_backend
    from taggit.models import Tag

    from search import unified

    backend = get_search_backend()
    antrag = unified.ranked(backend, "Antrag", query._sources(city.user, query.Filters()))
    assert antrag.paged, "both shapes' engines count facets over all matches"
    assert antrag.facets["department"]["page"] == {city.buergeramt.pk: 2, city.bauamt.pk: 1}
    opening = unified.ranked(backend, "Öffnungszeiten", query._sources(city.user, query.Filters()))
    slug = Tag.objects.get(name="Bürgerservice").slug
    assert opening.facets["tag"]["post"] == {slug: 1}
    assert opening.facets["channel"]["post"] == {city.channel.pk: 1}
