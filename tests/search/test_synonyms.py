# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""Synonyms and abbreviations editors maintain (issue 20, point 3): the snippet "Synonyme und
Abkürzungen" in the admin, its default list, and the expansion of a query on both shapes
(Whoosh, and Wagtail's database backend with SEARCH_BACKEND=postgres)."""

import time

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from modelsearch.query import And, Or

from home import actions as home_actions
from home.models import WikiPage
from search import synonyms
from search.models import Synonym
from tests.conftest import make_group_member, sign_in
from tests.home.conftest import add_page, rich
from tests.search.ui_fixtures import city, fresh_index  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/search"
ADD = "wagtailsnippets_search_synonym:add"
EDIT = "wagtailsnippets_search_synonym:edit"
DELETE = "wagtailsnippets_search_synonym:delete"


@pytest.fixture(autouse=True)
def _fresh_synonyms():
    """The loaded list belongs to the (rolled back) test database: forget it around each test."""
    synonyms.forget()
    yield
    synonyms.forget()


def titles(client, q):
    data = client.get(API, {"q": q}).json()
    return {row["title"] for row in data["results"] if row["type"] == "page"}, data["count"]


# --- expansion ----------------------------------------------------------------------------------


def table(*entries):
    return synonyms.build_table(entries)


def test_expand_leaves_a_query_without_listed_terms_as_typed():
    assert synonyms.expand("Antrag auf Auskunft", table_=table("OWiG, Ordnungswidrigkeitengesetz")) == (
        "Antrag auf Auskunft"
    )


def test_expand_lets_a_compound_also_find_its_parts_standing_apart():
    query = synonyms.expand("Antrag auf Akteneinsicht", table_=table("OWiG, Ordnungswidrigkeitengesetz"))
    assert isinstance(query, And)
    rest, compound = query.subqueries
    assert rest.query_string == "Antrag auf"
    assert [(term.query_string, term.operator) for term in compound.subqueries] == [
        ("Akteneinsicht", "and"),
        ("akte einsicht", "and"),
    ]


def test_expand_turns_a_listed_term_into_an_or_of_its_entry():
    query = synonyms.expand("owig", table_=table("OWiG, Ordnungswidrigkeitengesetz"))
    assert isinstance(query, Or)
    assert [(p.query_string, p.operator) for p in query.subqueries] == [
        ("OWiG", "and"),
        ("Ordnungswidrigkeitengesetz", "and"),
    ]


def test_expand_keeps_the_rest_of_the_query_and_the_operator():
    entries = table("OWiG, Ordnungswidrigkeitengesetz, Gesetz über Ordnungswidrigkeiten")
    query = synonyms.expand("Verwarnung nach OWiG, Höhe", table_=entries)
    assert isinstance(query, And)
    first, group, last = query.subqueries
    assert (first.query_string, first.operator) == ("Verwarnung nach", "and")
    assert [p.query_string for p in group.subqueries] == [
        "OWiG",
        "Ordnungswidrigkeitengesetz",
        "Gesetz über Ordnungswidrigkeiten",
    ]
    assert (last.query_string, last.operator) == ("Höhe", "and")
    assert isinstance(synonyms.expand("OWiG Höhe", operator="or", table_=entries), Or)


def test_expand_compares_after_german_folding_and_prefers_the_longest_term():
    entries = table("Bürgerbüro, Bürgeramt", "SGB II, Bürgergeld", "SGB, Sozialgesetzbuch", "DS-GVO, DSGVO")
    assert [p.query_string for p in synonyms.expand("BUERGERBUERO", table_=entries).subqueries] == [
        "Bürgerbüro",
        "Bürgeramt",
    ]
    assert [p.query_string for p in synonyms.expand("sgb ii", table_=entries).subqueries] == ["SGB II", "Bürgergeld"]
    assert [p.query_string for p in synonyms.expand("SGB", table_=entries).subqueries] == ["SGB", "Sozialgesetzbuch"]
    assert [p.query_string for p in synonyms.expand("ds-gvo", table_=entries).subqueries] == ["DS-GVO", "DSGVO"]


def test_a_lower_case_stop_word_is_a_word_of_the_sentence_not_the_abbreviation():
    entries = table("DA, Dienstanweisung")
    assert synonyms.expand("was gilt da", table_=entries) == "was gilt da"
    assert isinstance(synonyms.expand("DA Homeoffice", table_=entries), And)


def test_the_list_is_loaded_once_and_again_after_an_edit(django_assert_num_queries):
    synonyms.table()
    with django_assert_num_queries(0):
        synonyms.table()  # cached in the process, checked against the version in the cache
    entry = Synonym.objects.create(terms="Wochenkurier, Amtsblatt")
    with django_assert_num_queries(1):
        assert synonyms.table().groups[("wochenkurier",)] == ("Wochenkurier", "Amtsblatt")
    entry.delete()
    with django_assert_num_queries(1):
        assert ("wochenkurier",) not in synonyms.table().groups


def test_an_edit_in_another_process_is_seen_within_a_second(monkeypatch, django_assert_num_queries):
    """The version in the shared cache is read at most once a second per process, not at every
    search; an edit made elsewhere (another app server: a new version in the cache, no signal
    here) is seen at the first search after that second."""
    clock = [1000.0]
    monkeypatch.setattr(synonyms, "_now", lambda: clock[0])
    reads = []
    real_get = synonyms.cache.get
    monkeypatch.setattr(synonyms.cache, "get", lambda key, *args: reads.append(key) or real_get(key, *args))
    synonyms.table()
    Synonym.objects.bulk_create([Synonym(terms="Wochenkurier, Amtsblatt")])  # no signal: as if elsewhere
    synonyms.cache.set(synonyms.VERSION_KEY, "edited-elsewhere", timeout=None)
    reads.clear()
    clock[0] += synonyms.VERSION_TTL - 0.01
    with django_assert_num_queries(0):
        for _ in range(5):
            assert ("wochenkurier",) not in synonyms.table().groups
    assert reads == []  # not even the cache was asked
    clock[0] += 0.01
    with django_assert_num_queries(1):
        assert synonyms.table().groups[("wochenkurier",)] == ("Wochenkurier", "Amtsblatt")
    assert reads == [synonyms.VERSION_KEY]


# --- the default list ----------------------------------------------------------------------------


def test_the_default_list_is_installed_valid_and_large_enough():
    from importlib import import_module

    default = import_module("search.migrations.0004_default_synonyms").default_entries()
    assert len(default) >= 150
    assert Synonym.objects.count() == len(default)
    for entry in Synonym.objects.all():
        entry.full_clean()  # every entry passes the form's checks
    groups = synonyms.table().groups
    for abbreviation, expansion in [
        ("OWiG", "Ordnungswidrigkeitengesetz"),
        ("BauGB", "Baugesetzbuch"),
        ("TVöD", "Tarifvertrag für den öffentlichen Dienst"),
        ("KiTa", "Kindertagesstätte"),
        ("Perso", "Personalausweis"),
        ("HH", "Haushalt"),
    ]:
        assert expansion in groups[synonyms.term_key(abbreviation)]


# --- end to end, both shapes ---------------------------------------------------------------------


@pytest.fixture
def owig_pages(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        long_form = add_page(
            city.section,
            WikiPage(title="Bußgeldverfahren", slug="bussgeld", body=rich("Verfahren nach dem Ordnungswidrigkeitengesetz.")),
        )  # fmt: skip
        short_form = add_page(
            city.section,
            WikiPage(title="Verwarnungen im Außendienst", slug="verwarnung", body=rich("Verwarnungsgeld nach § 56 OWiG.")),
        )  # fmt: skip
    return long_form, short_form


def test_an_abbreviation_finds_the_page_with_the_expansion_and_vice_versa(owig_pages, user_client):
    assert titles(user_client, "OWiG")[0] == {"Bußgeldverfahren", "Verwarnungen im Außendienst"}
    assert titles(user_client, "Ordnungswidrigkeitengesetz")[0] == {"Bußgeldverfahren", "Verwarnungen im Außendienst"}
    # with another word of the page, all words still required
    assert titles(user_client, "OWiG Außendienst")[0] == {"Verwarnungen im Außendienst"}


def test_the_list_s_other_terms_are_not_taken_for_typos(city, user_client, django_capture_on_commit_callbacks):
    """A typed word a typo away from an indexed word finds it; a term the list supplies does not:
    "Kontrakt" also finds "Vertrag", but not the "Vortrag" one letter from it (the city has no
    "Vertrag"). The words of the list are no typos - and looking each one up as a typo at every
    search cost time."""
    with django_capture_on_commit_callbacks(execute=True):
        add_page(city.section, WikiPage(title="Vortrag über Brandschutz", slug="vortrag", body=rich("Termine der Reihe.")))  # fmt: skip
        Synonym.objects.create(terms="Kontrakt, Vertrag")
    assert titles(user_client, "Vertrag")[0] == {"Vortrag über Brandschutz"}  # typed: one typo allowed
    assert titles(user_client, "Kontrakt") == (set(), 0)


def test_expand_marks_the_list_s_other_terms_as_exact():
    query = synonyms.expand("Kontrakt Frist", table_=table("Kontrakt, Vertrag", "Frist, Termin"))
    assert [[type(term).__name__ for term in group.subqueries] for group in query.subqueries] == [
        ["PlainText", "ExactText"],
        ["PlainText", "ExactText"],
    ]
    # a compound's parts keep the typo tolerance (it bridges "streu" to "streut")
    compound = synonyms.expand("Hundesteuer", table_=table("Kontrakt, Vertrag"))
    assert [type(term).__name__ for term in compound.subqueries] == ["PlainText", "PlainText"]


def test_a_compound_finds_a_page_where_its_parts_stand_apart(city, user_client, django_capture_on_commit_callbacks):
    """Decompounding at query time (search/compounds.py): "Hundesteuer" finds "Steuer für jeden
    Hund", and the page with the compound itself still comes first."""
    with django_capture_on_commit_callbacks(execute=True):
        add_page(city.section, WikiPage(title="Abgaben für Tiere", slug="tiere", body=rich("Die Steuer für jeden Hund wird jährlich erhoben.")))  # fmt: skip
        add_page(city.section, WikiPage(title="Hundesteuer", slug="hundesteuer", body=rich("Hundesteuer anmelden und bezahlen.")))  # fmt: skip
        add_page(city.section, WikiPage(title="Kfz-Steuer", slug="kfz", body=rich("Die Steuer für Fahrzeuge erhebt der Bund.")))  # fmt: skip
    data = user_client.get(API, {"q": "Hundesteuer"}).json()
    found = [row["title"] for row in data["results"] if row["type"] == "page"]
    assert found[0] == "Hundesteuer"
    assert "Abgaben für Tiere" in found
    assert "Kfz-Steuer" not in found  # one part alone is not enough


@pytest.fixture
def central_editor(db):
    return make_group_member("ulrike.friedrich", home_actions.ensure_central_editors_group())


@pytest.fixture
def editor_client(central_editor):
    return sign_in(Client(), central_editor)


def test_an_edit_in_the_admin_takes_effect_on_the_next_search(
    city, editor_client, user_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_page(city.section, WikiPage(title="Amtsblatt", slug="amtsblatt", body=rich("Bekanntmachungen der Stadt.")))
    assert titles(user_client, "Wochenkurier") == (set(), 0)

    response = editor_client.post(reverse(ADD), {"terms": "Wochenkurier ,Amtsblatt"})
    assert response.status_code == 302
    entry = Synonym.objects.get(terms="Wochenkurier, Amtsblatt")
    assert titles(user_client, "Wochenkurier")[0] == {"Amtsblatt"}

    response = editor_client.post(reverse(EDIT, args=[entry.pk]), {"terms": "Stadtzeitung, Amtsblatt"})
    assert response.status_code == 302
    assert titles(user_client, "Wochenkurier") == (set(), 0)
    assert titles(user_client, "Stadtzeitung")[0] == {"Amtsblatt"}

    response = editor_client.post(reverse(DELETE, args=[entry.pk]))
    assert response.status_code == 302 and not Synonym.objects.filter(pk=entry.pk).exists()
    assert titles(user_client, "Stadtzeitung") == (set(), 0)


def test_synonyms_never_reach_what_the_user_may_not_see(city, editor_client, user_client):
    """The city's "Kündigungsschutz" items are a restricted page, a draft, a hidden and a deleted
    post and an inactive person: found through a synonym no more than by their own word."""
    editor_client.post(reverse(ADD), {"terms": "KüSchu, Kündigungsschutz"})
    assert Synonym.objects.filter(terms="KüSchu, Kündigungsschutz").exists()
    assert titles(user_client, "KüSchu") == (set(), 0)
    assert titles(user_client, "Kündigungsschutz") == (set(), 0)


# --- the admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "terms, message",
    [
        ("", "Dieses Feld muss ausgefüllt werden."),
        ("OWiG", "mindestens zwei verschiedene Begriffe"),
        ("Kita, kita, KITA", "mindestens zwei verschiedene Begriffe"),
        ("Bauakte, , Akte", "Ein Begriff ist leer"),
        ("Bauakte, " + "Akte" * 30, "ist zu lang"),
        ("Bauakte, eins zwei drei vier fünf sechs sieben", "hat zu viele Wörter"),
        ("Bauakte, §§", "enthält keine Buchstaben oder Ziffern"),
        ("Bauakte, Ordnungswidrigkeitengesetz", "steht schon in einem anderen Eintrag"),
        ("Bauakte, ordnungswidrigkeitengesetz", "steht schon in einem anderen Eintrag"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(editor_client, terms, message):
    count = Synonym.objects.count()
    response = editor_client.post(reverse(ADD), {"terms": terms})
    assert response.status_code == 200
    errors = response.context["form"].errors["terms"]
    assert len(errors) == 1 and message in errors[0], errors
    assert Synonym.objects.count() == count
    assert response.context["form"]["terms"].value() == terms  # what was typed is still in the form


def test_an_edit_with_bad_input_keeps_the_entry(editor_client):
    entry = Synonym.objects.get(terms__startswith="OWiG,")
    response = editor_client.post(reverse(EDIT, args=[entry.pk]), {"terms": "OWiG, BauGB"})
    assert response.status_code == 200
    assert "steht schon in einem anderen Eintrag" in str(response.context["form"].errors["terms"])
    entry.refresh_from_db()
    assert entry.terms.startswith("OWiG, Ordnungswidrigkeitengesetz")
    # saving the entry unchanged is not a duplicate of itself
    response = editor_client.post(reverse(EDIT, args=[entry.pk]), {"terms": entry.terms})
    assert response.status_code == 302


def test_only_the_central_editorial_team_and_administrators_edit_the_list(db, admin_client, department):
    department_editor = make_group_member("klaus.hoffmann", "Redaktion Bauamt")
    department_editor.groups.first().permissions.add(Permission.objects.get(codename="access_admin"))
    clients = {"department editor": sign_in(Client(), department_editor)}
    for who, client in clients.items():
        response = client.post(reverse(ADD), {"terms": "Wochenkurier, Amtsblatt"})
        assert response.status_code in (302, 403), who
        assert not Synonym.objects.filter(terms__icontains="Wochenkurier").exists(), who
        listing = client.get(reverse("wagtailsnippets_search_synonym:list"))
        assert listing.status_code in (302, 403), who
    response = admin_client.post(reverse(ADD), {"terms": "Wochenkurier, Amtsblatt"})
    assert response.status_code == 302 and Synonym.objects.filter(terms="Wochenkurier, Amtsblatt").exists()


def test_the_admin_says_the_list_applies_from_the_next_search(editor_client):
    response = editor_client.get(reverse(ADD))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Synonyme und Abkürzungen" in body
    assert "ab der nächsten Suche" in body


# --- cost -------------------------------------------------------------------------------------------


def test_cost_of_the_expansion(owig_pages, user_client, monkeypatch, capsys):
    """Prints what the expansion costs (no timed assertion: the figures go to
    docs/search-quality.md): the expansion itself, and whole API searches of queries with listed
    terms with and without it (the engine then answers a larger query)."""
    queries = ["OWiG", "Bußgeld nach OWiG", "Personalrat Sprechstunde", "KiTa Platz", "Bürgeramt Antrag"]
    synonyms.table()
    start = time.perf_counter()
    for _ in range(200):
        for q in queries:
            synonyms.expand(q)
    expand_us = (time.perf_counter() - start) / (200 * len(queries)) * 1e6

    def per_search():
        for q in queries:
            user_client.get(API, {"q": q})  # warm
        start = time.perf_counter()
        for _ in range(10):
            for q in queries:
                assert user_client.get(API, {"q": q}).status_code == 200
        return (time.perf_counter() - start) / (10 * len(queries)) * 1e3

    with_ms = per_search()
    monkeypatch.setattr(synonyms, "expand", lambda q, **kwargs: q)
    without_ms = per_search()
    with capsys.disabled():
        print(
            f"\nsynonym expansion: {expand_us:.1f} µs per query; API search of queries with listed terms: "
            f"{with_ms:.1f} ms with, {without_ms:.1f} ms without expansion"
        )
