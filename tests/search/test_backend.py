"""The Whoosh backend (search.whoosh) with Wagtail pages: German text, operators, filters,
facets, autocomplete, inheritance, and the index staying current as pages change."""

from collections import OrderedDict

import pytest
from django.contrib.contenttypes.models import ContentType
from modelsearch.backends.base import FilterFieldError
from modelsearch.query import MATCH_ALL, Fuzzy, Not, Phrase, PlainText
from wagtail.models import Page

from home.models import HomePage
from tests.search.conftest import add_page

pytestmark = pytest.mark.django_db


def titles(results):
    return [r.title for r in results]


# --- German text --------------------------------------------------------------------------------


def test_compound_words_are_found_by_their_last_part_and_rank_below_the_word_itself(backend, german_pages):
    found = titles(backend.search("Antrag", Page))
    assert set(found) >= {
        "Antrag auf Akteneinsicht",
        "Bauantrag einreichen: Unterlagen und Fristen",
        "Urlaubsantrag stellen",
        "Anträge der Fraktionen im Stadtrat",
    }
    assert "Vertrag mit dem Reinigungsdienst" not in found  # "Vertrag" does not end in "antrag"
    exact = {"Antrag auf Akteneinsicht", "Anträge der Fraktionen im Stadtrat"}
    compounds = {"Bauantrag einreichen: Unterlagen und Fristen", "Urlaubsantrag stellen"}
    last_exact = max(found.index(t) for t in exact)
    first_compound = min(found.index(t) for t in compounds)
    assert last_exact < first_compound, found


def test_a_word_is_looked_up_inside_compounds_only_where_compounds_of_it_exist(backend, german_pages):
    """The compound clause (a prefix over every reversed word of the index) is asked only for a
    word some longer indexed word ends in: "Antrag" ("Bauantrag", "Urlaubsantrag"), not "Vertrag",
    which no indexed word ends in but itself. (The check compared the index's bytes with a str and
    so held for every indexed word: each word of each search paid for the clause.)"""
    from whoosh import query as wq

    from search.whoosh.store import COMPOUND_FIELD

    def compound_clauses(q):
        compiled = backend.search(q, Page).query_compiler.to_whoosh(backend.store.searcher())
        return [leaf for leaf in compiled.leaves() if isinstance(leaf, wq.Prefix) and leaf.fieldname == COMPOUND_FIELD]

    assert [clause.text for clause in compound_clauses("Antrag")] == ["gartna"]
    assert compound_clauses("Vertrag") == []
    assert titles(backend.search("Vertrag", Page)) == ["Vertrag mit dem Reinigungsdienst"]


def test_plural_and_singular_find_each_other(backend, german_pages):
    assert "Genehmigungen für Sondernutzung" in titles(backend.search("Genehmigung", Page))
    assert "Antrag auf Akteneinsicht" in titles(backend.search("Anträge", Page))


@pytest.mark.parametrize("query", ["Strasse", "Straße", "STRASSE"])
def test_sharp_s_and_case_are_folded(backend, german_pages, query):
    # "Straßenreinigung" is a compound starting with Straße: found by its own word only
    assert titles(backend.search("Straßenreinigung", Page)) == ["Straßenreinigung und Winterdienst"]
    assert titles(backend.search(query + "nreinigung", Page)) == ["Straßenreinigung und Winterdienst"]


@pytest.mark.parametrize("query", ["Bürger", "Buerger", "Burger", "bürger"])
def test_umlaut_spellings_are_equal(backend, german_pages, query):
    assert titles(backend.search(query, Page)) == ["Informationen für Bürger"]


def test_stop_words_do_not_have_to_match(backend, german_pages):
    # "für die" are stop words; the query is "Informationen Bürger"
    assert titles(backend.search("Informationen für die Bürger", Page)) == ["Informationen für Bürger"]


def test_typo_falls_back_to_fuzzy_matching(backend, german_pages):
    assert titles(backend.search("Persnalrat", Page)) == ["Sprechstunde Personalrat"]
    assert titles(backend.search("Sprechstunde Persnalrat", Page)) == ["Sprechstunde Personalrat"]


def test_fuzzy_fallback_only_for_words_the_index_does_not_know(backend, german_pages):
    # "Vertrag" exists, so no fuzzy variants ("Antrag" is two edits away anyway)
    assert titles(backend.search("Vertrag", Page)) == ["Vertrag mit dem Reinigungsdienst"]


# Typos (issue 20, point 4; the rule is search.typos): one edit from 4 letters, two from 8, and
# a transposition of neighbours is one edit. Suggestions ("Meinten Sie") follow the same rule.


def test_a_transposition_is_one_typo(backend, german_pages):
    for typed in ("Antarg", "Antrga"):  # 6 letters: one edit, also at the end of the word
        assert "Antrag auf Akteneinsicht" in titles(backend.search(typed, Page)), typed
        assert backend.suggest(typed) == "Antrag"
    for typed in ("Persnoalrat", "Personalrta", "Presnoalrat"):  # 11 letters: up to two
        assert titles(backend.search(typed, Page)) == ["Sprechstunde Personalrat"], typed


def test_a_typo_that_changes_the_stem_of_the_word_is_one_typo(backend, german_pages):
    # "Genehmigugnen" stems to "genehmigugn", "Genehmigungen" to "genehm"; the words are one swap apart
    assert titles(backend.search("Genehmigugnen", Page)) == ["Genehmigungen für Sondernutzung"]
    assert titles(backend.search("Frisetn", Page)) == ["Bauantrag einreichen: Unterlagen und Fristen"]


@pytest.fixture
def short_words(backend, root_page, german_pages):
    pages = [add_page(root_page, "Kita Sonnenschein"), add_page(root_page, "Amt für Statistik")]
    for page in pages:
        backend.add(page)
    return pages


def test_one_typo_from_four_letters_none_below(backend, short_words):
    assert titles(backend.search("Ktia", Page)) == ["Kita Sonnenschein"]  # 4 letters, transposed
    assert titles(backend.search("Kiga", Page)) == ["Kita Sonnenschein"]  # 4 letters, one changed
    assert titles(backend.search("Amz", Page)) == []  # 3 letters: "Amt"? "Akt"? no typo allowed
    assert backend.suggest("Ktia") == "Kita"
    assert backend.suggest("Amz") is None


def test_two_typos_from_eight_letters_one_below(backend, german_pages):
    # 9 letters, two edits (two transpositions, one of them at the end of the word)
    assert titles(backend.search("Baunatrga", Page)) == ["Bauantrag einreichen: Unterlagen und Fristen"]
    # 8 letters, two edits at the end of the word
    assert titles(backend.search("Stadtrxx", Page)) == ["Anträge der Fraktionen im Stadtrat"]
    # 6 and 7 letters, two edits: one is allowed
    assert titles(backend.search("Antxxg", Page)) == []
    assert titles(backend.search("Vertxxg", Page)) == []
    assert backend.suggest("Baunatrga") == "Bauantrag"
    assert backend.suggest("Antxxg") is None


@pytest.mark.parametrize("typed", ["Ktia", "Kiga", "Amz", "Antxxg", "Baunatrga", "Stadtrxx", "Vertxxg"])
def test_suggestions_and_fuzzy_matches_agree(backend, short_words, typed):
    """A word the search forgives is the word "Meinten Sie" offers, and the other way round."""
    found = titles(backend.search(typed, Page))
    suggestion = backend.suggest(typed)
    assert bool(found) == bool(suggestion), (found, suggestion)
    if suggestion:
        assert set(titles(backend.search(suggestion, Page))) >= set(found)


def test_explicit_fuzzy_query(backend, german_pages):
    assert titles(backend.search(Fuzzy("Haushaltsplann"), Page)) == ["Haushaltsplan 2026", "Willkommen im Wissensnetz"]


def test_suggest_offers_the_word_that_was_meant(backend, german_pages):
    assert backend.suggest("Persnalrat") == "Personalrat"
    assert backend.suggest("sprechstunde persnalrat") == "sprechstunde personalrat"
    assert backend.suggest("Personalrat") is None  # nothing to correct


def test_suggest_does_not_reveal_words_the_caller_cannot_see(backend, german_pages):
    # "Homeoffice" only occurs on an unpublished page
    assert backend.suggest("Homeofice") == "Homeoffice"
    assert backend.suggest("Homeofice", Page.objects.live()) is None


# --- operators and query classes ---------------------------------------------------------------


def test_and_is_the_default_operator(backend, german_pages):
    assert titles(backend.search("Antrag Akteneinsicht", Page)) == ["Antrag auf Akteneinsicht"]


def test_or_operator(backend, german_pages):
    found = titles(backend.search("Personalrat Haushaltsplan", Page, operator="or"))
    assert set(found) == {"Sprechstunde Personalrat", "Haushaltsplan 2026", "Willkommen im Wissensnetz"}


def test_phrase(backend, german_pages):
    assert titles(backend.search(Phrase("Straßenreinigung und Winterdienst"), Page)) == [
        "Straßenreinigung und Winterdienst"
    ]
    assert titles(backend.search(Phrase("Winterdienst Straßenreinigung"), Page)) == []


def test_not_and_combinations(backend, german_pages):
    query = PlainText("Antrag") & ~PlainText("Akteneinsicht")
    found = set(titles(backend.search(query, Page.objects.live())))
    assert "Antrag auf Akteneinsicht" not in found
    assert "Urlaubsantrag stellen" in found
    everything_else = set(titles(backend.search(Not(PlainText("Antrag")), Page.objects.filter(depth=2))))
    assert "Sprechstunde Personalrat" in everything_else
    assert not everything_else & found


def test_field_boost_ranks_title_matches_first(backend, german_pages):
    # Page.title has boost 2; HomePage.intro none. Both mention "Haushaltsplan".
    assert titles(backend.search("Haushaltsplan", Page)) == ["Haushaltsplan 2026", "Willkommen im Wissensnetz"]


def test_search_restricted_to_a_field(backend, german_pages):
    assert titles(backend.search("Haushaltsplan", HomePage, fields=["intro"])) == ["Willkommen im Wissensnetz"]
    assert titles(backend.search("Haushaltsplan", HomePage, fields=["title"])) == []


def test_annotate_score_and_relevance_order(backend, german_pages):
    results = list(backend.search("Antrag", Page).annotate_score("score"))
    scores = [r.score for r in results]
    assert all(isinstance(s, float) for s in scores)
    assert scores == sorted(scores, reverse=True)


# --- inheritance ----------------------------------------------------------------------------------


def test_search_on_page_finds_specific_page_types(backend, german_pages):
    # The word only occurs in HomePage.intro, a field Page does not have
    assert titles(backend.search("Formulare", Page)) == ["Willkommen im Wissensnetz"]


def test_search_on_a_subclass_finds_only_that_type(backend, german_pages):
    results = list(backend.search("Antrag", HomePage))
    assert titles(results) == ["Willkommen im Wissensnetz"]
    assert isinstance(results[0], HomePage)


def test_specific_queryset(backend, german_pages):
    results = list(backend.search("Formulare", Page.objects.specific()))
    assert isinstance(results[0], HomePage)


# --- filters, ordering, counts, facets ---------------------------------------------------------


def test_unpublished_pages_are_filtered_before_counting(backend, german_pages):
    everything = backend.search("Antrag", Page)
    published = backend.search("Antrag", Page.objects.live())
    assert "Entwurf: Antrag auf Homeoffice" in titles(everything)
    assert "Entwurf: Antrag auf Homeoffice" not in titles(published)
    assert published.count() == everything.count() - 1 == len(list(published))


@pytest.mark.parametrize(
    ("filtered", "expected"),
    [
        (lambda pages: Page.objects.filter(live=False), {"entwurf"}),
        (lambda pages: Page.objects.filter(pk=pages["bauantrag"].pk), {"bauantrag"}),
        (lambda pages: Page.objects.filter(pk__in=[pages["urlaub"].pk, pages["antrag"].pk]), {"urlaub", "antrag"}),
        (lambda pages: Page.objects.filter(pk__gt=pages["antraege"].pk, live=True), {"start"}),
        (lambda pages: Page.objects.filter(pk__lte=pages["bauantrag"].pk), {"antrag", "bauantrag"}),
        (
            lambda pages: Page.objects.filter(pk__range=(pages["urlaub"].pk, pages["antraege"].pk)),
            {"urlaub", "antraege"},
        ),
        (lambda pages: Page.objects.filter(title__startswith="Urlaub"), {"urlaub"}),
        (lambda pages: Page.objects.filter(first_published_at__isnull=False), set()),
        (lambda pages: Page.objects.filter(first_published_at__isnull=True, live=False), {"entwurf"}),
        (
            lambda pages: Page.objects.exclude(title__startswith="Bau").filter(depth=2, live=True),
            {"antrag", "urlaub", "antraege", "start"},
        ),
        (lambda pages: Page.objects.type(HomePage), {"start"}),
        (lambda pages: Page.objects.live().public(), {"antrag", "bauantrag", "urlaub", "antraege", "start"}),
    ],
)
def test_filters(backend, german_pages, filtered, expected):
    results = backend.search("Antrag", filtered(german_pages))
    assert {r.pk for r in results} == {german_pages[key].pk for key in expected}
    assert results.count() == len(expected)


def test_filter_on_a_field_that_is_not_a_filter_field(backend, german_pages):
    with pytest.raises(FilterFieldError):
        backend.search("Antrag", Page.objects.filter(slug="x"))


def test_order_by_field_instead_of_relevance(backend, german_pages):
    results = backend.search("Antrag", Page.objects.live().order_by("title"), order_by_relevance=False)
    assert titles(results) == sorted(titles(results))
    results = backend.search("Antrag", Page.objects.live().order_by("-title"), order_by_relevance=False)
    assert titles(results) == sorted(titles(results), reverse=True)


def test_counts_respect_slicing(backend, german_pages):
    results = backend.search("Antrag", Page.objects.live())
    total = results.count()
    assert total == 5
    assert results[1:3].count() == 2
    assert results[3:].count() == total - 3
    assert results[10:].count() == 0
    assert len(results[:2]) == 2
    # slices of the unfiltered (fast) path count the same way
    unfiltered = backend.search("Antrag", Page)
    assert unfiltered[1:3].count() == 2
    assert unfiltered[:100].count() == unfiltered.count() == total + 1


def test_pages_are_stable_across_slices(backend, german_pages):
    results = backend.search("Antrag", Page)
    one_by_one = [results[i : i + 1][0].pk for i in range(results.count())]
    assert one_by_one == [r.pk for r in results]


def test_facet(backend, german_pages):
    facets = backend.search("Antrag", Page).facet("content_type_id")
    page_type = ContentType.objects.get_for_model(Page).pk
    home_type = ContentType.objects.get_for_model(HomePage).pk
    assert facets == OrderedDict([(page_type, 5), (home_type, 1)])
    assert backend.search("Antrag", Page.objects.live()).facet("live") == OrderedDict([(True, 5)])


def test_match_all_with_filters(backend, german_pages):
    results = backend.search(MATCH_ALL, Page.objects.filter(depth=2, live=False))
    assert titles(results) == ["Entwurf: Antrag auf Homeoffice"]


# --- autocomplete --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Baua", "Bauantrag einreichen: Unterlagen und Fristen"),
        ("Genehm", "Genehmigungen für Sondernutzung"),
        ("strassenr", "Straßenreinigung und Winterdienst"),
        ("Sprechstunde Pers", "Sprechstunde Personalrat"),
    ],
)
def test_autocomplete(backend, german_pages, typed, expected):
    assert titles(backend.autocomplete(typed, Page)) == [expected]


def test_autocomplete_respects_filters(backend, german_pages):
    assert titles(backend.autocomplete("Entw", Page.objects.live())) == []
    assert titles(backend.autocomplete("Entw", Page)) == ["Entwurf: Antrag auf Homeoffice"]


# --- the index follows the database --------------------------------------------------------------


def test_a_saved_page_is_found_at_once_and_edits_and_deletes_follow(root_page):
    """Through Wagtail's signals into the configured default backend: no manual indexing."""
    page = add_page(root_page, "Dienstanweisung Zeiterfassung")
    assert titles(Page.objects.search("Zeiterfassung")) == ["Dienstanweisung Zeiterfassung"]

    page.title = "Dienstanweisung Gleitzeit"
    page.save()
    assert titles(Page.objects.search("Gleitzeit")) == ["Dienstanweisung Gleitzeit"]
    assert titles(Page.objects.search("Zeiterfassung")) == []

    page.delete()
    assert titles(Page.objects.search("Gleitzeit")) == []


def test_new_document_visible_to_an_already_open_searcher(backend, german_pages, root_page):
    assert titles(backend.search("Fundbüro", Page)) == []  # the searcher is open now
    page = add_page(root_page, "Fundbüro im Rathaus")
    backend.add(page)
    assert titles(backend.search("Fundbüro", Page)) == ["Fundbüro im Rathaus"]


def test_deleted_object_not_returned_even_if_still_indexed(backend, german_pages):
    german_pages["personalrat"].delete()  # the signal updates the default backend, not ours
    assert titles(backend.search("Personalrat", Page)) == []
    assert titles(backend.search("Personalrat", Page.objects.live())) == []
    # Counts come from the index when it can answer alone: a stale entry is counted, never shown.
    assert backend.search("Personalrat", Page).count() == 1


# --- filters answered by the index ---------------------------------------------------------------


def _translated(backend, queryset):
    results = backend.search("Antrag", queryset)
    return results.query_compiler.allowed_documents(backend.store.searcher())[1]


def test_common_page_filters_are_answered_by_the_index(backend, german_pages):
    assert _translated(backend, Page.objects.live())
    assert _translated(backend, Page.objects.live().public())
    assert _translated(backend, Page.objects.filter(depth__gte=2, pk__in=[1, 2, 3]))
    assert _translated(backend, Page.objects.descendant_of(german_pages["start"].get_parent()))


def test_subquery_filters_are_left_to_the_database_with_the_same_result(backend, german_pages):
    live_ids = Page.objects.filter(live=True).values("pk")
    queryset = Page.objects.filter(pk__in=live_ids)
    assert not _translated(backend, queryset)
    by_database = backend.search("Antrag", queryset)
    by_index = backend.search("Antrag", Page.objects.live())
    assert titles(by_database) == titles(by_index)
    assert by_database.count() == by_index.count() == 5
    assert titles(by_database[1:3]) == titles(by_index[1:3])


def test_index_filters_follow_page_changes(backend, german_pages):
    page = german_pages["bauantrag"]
    page.live = False
    page.save()
    backend.add(page)
    assert "Bauantrag einreichen: Unterlagen und Fristen" not in titles(backend.search("Antrag", Page.objects.live()))
    assert backend.search("Antrag", Page.objects.live()).count() == 4


def test_partial_match_fields_match_word_beginnings(backend, german_pages, monkeypatch):
    from modelsearch import index

    from search.whoosh import backend as backend_module

    # whole words (and compound parts: "Wissens" finds "Wissensnetz") only by default
    assert titles(backend.search("Willk", HomePage)) == []
    monkeypatch.setattr(
        HomePage, "search_fields", [*HomePage.search_fields, index.SearchField("title", partial_match=True)]
    )
    backend_module._partial_match_paths.cache_clear()
    try:
        assert titles(backend.search("Willk", HomePage)) == ["Willkommen im Wissensnetz"]
    finally:
        monkeypatch.undo()
        backend_module._partial_match_paths.cache_clear()


def test_count_with_a_subquery_filter_counts_what_the_listing_shows(backend, german_pages):
    """Open point (d) of issue 7: ``.count()`` on a search whose queryset has a ``pk__in``
    subquery (left to the database) must count exactly the objects the listing returns, also
    when the index holds a document the subquery excludes and one whose object is gone."""
    allowed = Page.objects.filter(live=True).exclude(pk=german_pages["antrag"].pk).values("pk")
    gone = german_pages["urlaub"]
    Page.objects.filter(pk=gone.pk).update(live=False)  # the index still says live
    results = backend.search("Antrag", Page.objects.filter(pk__in=allowed))
    listed = titles(results)
    assert "Antrag auf Akteneinsicht" not in listed and "Urlaubsantrag stellen" not in listed
    assert results.count() == len(listed)
    assert results[1:].count() == len(titles(results[1:])) == len(listed) - 1
