# ruff: noqa: F811 — the fixtures are imported from tests.search.ui_fixtures
"""The PostgreSQL engine (search.postgres, the scaled shape): what it stores, that the server's
text search configuration does not matter, typos from the vocabulary table, compounds in both
directions, one query across all types. The rest of the suite runs on it too (make test-postgres
sets SEARCH_BACKEND=postgres); these are the engine's own promises."""

import json
import os

import pytest
from django.db import connection

from home.models import WikiPage
from posts import actions as post_actions
from search import query
from search.postgres import lexemes
from tests.home.conftest import add_page, rich
from tests.search.ui_fixtures import city, fresh_index, post, without_typo_search  # noqa: F401

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        os.environ.get("SEARCH_BACKEND") != "postgres" or connection.vendor != "postgresql",
        reason="the PostgreSQL engine runs in the PostgreSQL stage (SEARCH_BACKEND=postgres)",
    ),
]


def titles(result):
    return [hit.title for hit in result.hits]


def find(user, q, **kwargs):
    return query.search(user=user, q=q, **kwargs)


def test_the_backend_is_the_engine():
    from search.postgres.backend import PostgresSearchBackend

    assert isinstance(query.get_search_backend(), PostgresSearchBackend)


def test_the_index_stores_our_german_lexemes(city):
    """The page "Antrag auf Akteneinsicht" is stored as our stems, not as PostgreSQL's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title::text, body::text FROM wagtailsearch_indexentry e "
            "JOIN django_content_type c ON c.id = e.content_type_id "
            "WHERE c.model = 'wikipage' AND e.object_id = %s",
            [str(city.antrag.pk)],
        )
        title, body = cursor.fetchone()
    # "auf" is a stop word: the positions run on without it
    assert "'antrag':1A" in title and "'akteneinsicht':2A" in title
    # "Akteneinsicht" also yields its parts at its position, weighted below the word (D, which
    # PostgreSQL writes without a letter)
    lexemes_of_title = dict(item.split(":") for item in title.split())
    assert lexemes_of_title["'akt'"] == "2" and lexemes_of_title["'einsicht'"] == "2"
    assert "'burgeramt'" in body  # "Bürgeramt", folded


@pytest.mark.parametrize("config", ["english", "simple", "german"])
def test_quality_does_not_depend_on_the_servers_default_configuration(city, config):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL default_text_search_config = %s", [f"pg_catalog.{config}"])
    assert "Antrag auf Akteneinsicht" in titles(find(city.user, "Anträge"))
    assert "Bürgerbefragung 2026" in titles(find(city.user, "Buerger"))
    assert "Sondernutzung der Straße" in titles(find(city.user, "Strasse"))


def test_a_part_finds_the_compounds_at_either_end(city):
    # the query is the head of a compound ("Antrag" -> "Bauantrag", "Urlaubsantrag") ...
    found = titles(find(city.user, "Antrag"))
    assert {"Bauantrag einreichen", "Urlaubsantrag stellen", "Antrag auf Akteneinsicht"} <= set(found)
    # ... ranked below the page that has the word itself
    assert found[0] == "Antrag auf Akteneinsicht"
    # the query is the first part of a compound ("Urlaub" -> "Urlaubsantrag")
    assert "Urlaubsantrag stellen" in titles(find(city.user, "Urlaub"))


def test_a_compound_query_finds_its_parts_standing_apart(city):
    # "Akteneinsicht": the page says "Akten einsehen" in its body, and the title has the word
    assert titles(find(city.user, "Bauvorhaben"))[:1] == ["Bauantrag einreichen"]
    assert "Antrag auf Akteneinsicht" in titles(find(city.user, "Bürgeramtsantrag"))


@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("Persnoalrat", "Personalrat Sprechstunde"),  # a transposition in a long word: one edit
        ("Personlrat", "Personalrat Sprechstunde"),
        ("Pesronalrta", "Personalrat Sprechstunde"),  # two transpositions, 11 letters: two edits
        ("Akteneinsichd", "Antrag auf Akteneinsicht"),
    ],
)
def test_typos_find_the_word_within_the_allowed_edits(city, typed, page):
    assert page in titles(find(city.user, typed))


@pytest.mark.parametrize("typed", ["Stdat", "Stadtt"])
def test_a_four_letter_word_forgives_one_edit(city, typed):
    assert "Bürgerbefragung 2026" in titles(find(city.user, typed))


def test_a_short_word_is_never_fuzzed(city):
    # "Amt" (3 letters) with one letter changed is another word, not a typo
    assert find(city.user, "Ams").count == 0


def test_the_vocabulary_holds_the_indexed_words_and_their_parts(city):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, folded, lexeme FROM search_vocabulary WHERE word = ANY(%s)", [["bürgeramt", "amt"]]
        )
        rows = set(cursor.fetchall())
    assert ("bürgeramt", "burgeramt", lexemes.stems("Bürgeramt")[0]) in rows
    assert ("amt", "amt", "amt") in rows  # a part of "Bürgeramt"


def test_meinten_sie_comes_from_the_vocabulary(city, without_typo_search):
    result = find(city.user, "Pkten")
    assert result.count == 0
    assert result.suggestion == "Akten"


def test_the_typo_search_forgives_a_wrong_first_letter_too(city):
    assert "Antrag auf Akteneinsicht" in titles(find(city.user, "Pkteneinsicht"))


def test_one_query_finds_every_type_with_exact_counts(city):
    result = find(city.user, "Bürgeramt")
    assert result.facets["type"]["page"] >= 2 and result.facets["type"]["post"] == 1
    assert sum(result.facets["type"].values()) == result.count
    assert {hit.type for hit in result.hits} >= {"page", "post"}


def test_the_hidden_and_restricted_are_neither_found_nor_counted(city):
    result = find(city.user, "Kündigungsschutz")
    assert result.count == 0 and result.hits == []


def test_sort_by_date_puts_the_newest_first(city):
    result = find(city.user, "Bürgeramt", sort="date")
    dates = [hit.updated for hit in result.hits if hit.updated]
    assert dates == sorted(dates, reverse=True)


def test_a_search_makes_a_fixed_number_of_queries(city, django_assert_max_num_queries):
    """What the user may see (5: the page view restrictions and their groups, read once for the
    page and the question types; the collection restrictions and collections; the pages whose
    questions the user may not see), the vocabulary (1-2), the planner's estimate of the matches
    (1), counts, facets and the page (1), objects per type (<= 4 with the page's), names of
    departments and tags, tags of the hits, the engine's savepoint (2)."""
    find(city.user, "Antrag")  # warm caches (synonyms, content types)
    with django_assert_max_num_queries(13):
        find(city.user, "Antrag")


def reads_documents(sql: str) -> bool:
    """A statement that reads the engine's document table (the planner's estimate of the matches,
    an ``EXPLAIN``, reads none of its rows)."""
    return "search_document" in sql and not sql.lstrip().startswith("EXPLAIN")


def test_counts_facets_and_page_come_from_one_statement(city):
    """The engine reads its document table once per search: the matches are found once, and the
    counts, every facet and the page are answered from them."""
    from django.test.utils import CaptureQueriesContext

    find(city.user, "Antrag")  # warm caches
    with CaptureQueriesContext(connection) as queries:
        result = find(city.user, "Antrag")
    assert result.count >= 3 and result.facets["department"]
    assert sum(reads_documents(query["sql"]) for query in queries.captured_queries) == 1


def test_an_upgraded_site_finds_everything_without_a_rebuild(city):
    """Migration search.0006 fills the engine's document table from the index entries a site
    already has, tags included (the tag facet counts from the table)."""
    import importlib

    from search.postgres import documents

    before = find(city.user, "Öffnungszeiten")
    assert before.count and [row["name"] for row in before.facets["tag"]] == ["Bürgerservice"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {documents.TABLE}")  # noqa: S608 — as before the migration
    assert find(city.user, "Öffnungszeiten").count == 0
    with connection.schema_editor(atomic=False) as editor:
        importlib.import_module("search.migrations.0006_postgres_documents").create(None, editor)
        importlib.import_module("search.migrations.0007_postgres_document_facts").add(None, editor)
    after = find(city.user, "Öffnungszeiten")
    assert after.count == before.count and titles(after) == titles(before)
    assert after.facets["tag"] == before.facets["tag"]


def test_documents_without_facts_are_never_shown_and_the_migration_fills_them(city):
    """Migration search.0007 adds the permission facts to documents written before them. A
    document without facts matches no permission filter (hidden, never leaked) until filled."""
    import importlib

    from search.postgres import documents

    before = find(city.user, "Öffnungszeiten")
    assert before.count
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {documents.TABLE} SET facts = NULL")  # noqa: S608 — as before the migration
    assert find(city.user, "Öffnungszeiten").count == 0
    with connection.schema_editor(atomic=False) as editor:
        importlib.import_module("search.migrations.0007_postgres_document_facts").add(None, editor)
    after = find(city.user, "Öffnungszeiten")
    assert after.count == before.count and titles(after) == titles(before)
    assert after.facets == before.facets


def test_a_deleted_object_leaves_the_document_table(city):
    """Every way an index entry goes (here a page deleted) takes the engine's row with it."""
    assert "Antrag auf Akteneinsicht" in titles(find(city.user, "Akteneinsicht"))
    city.antrag.delete()
    assert find(city.user, "Akteneinsicht").count == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_document d LEFT JOIN wagtailsearch_indexentry e ON e.id = d.entry_id "
            "WHERE e.id IS NULL"
        )
        assert cursor.fetchone()[0] == 0


def test_the_sites_permission_querysets_are_answered_from_the_documents_facts(city):
    """Every type's "what this user may see" translates into the documents' facts, so a search
    joins no content table (the engine's one statement names none of them)."""
    from django.test.utils import CaptureQueriesContext

    from search.postgres import facts

    for source in query._sources(city.user, query.Filters()):
        facts.condition(source.queryset, connection)  # raises Untranslatable if not
    find(city.user, "Bürgeramt")
    with CaptureQueriesContext(connection) as queries:
        find(city.user, "Bürgeramt")
    (statement,) = [q["sql"] for q in queries.captured_queries if reads_documents(q["sql"])]
    for table in ("posts_post", "wagtailcore_page", "people_profile"):
        assert table not in statement


def test_a_queryset_the_facts_cannot_answer_is_joined_with_the_same_result(city):
    """A filter the translation does not know (a subquery) leaves that type to the join: the
    counts, facets and hits are still exactly the queryset's."""
    from django.db.models import Exists, OuterRef
    from wagtail.models import Page

    from home.models import ContentPage
    from search import unified
    from search.engine import Source
    from search.postgres import facts

    backend = query.get_search_backend()
    titled = Page.objects.filter(pk=OuterRef("pk"), title__icontains="akteneinsicht")
    subquery = ContentPage.objects.live().filter(Exists(titled))
    listed = ContentPage.objects.live().filter(pk__in=list(subquery.values_list("pk", flat=True)))
    with pytest.raises(facts.Untranslatable):
        facts.condition(subquery, connection)
    facts.condition(listed, connection)
    facet = {"department": "section_department_id", "tag": "tags__slug"}
    joined = unified.ranked(backend, "Antrag", [Source("page", subquery, facet_fields=facet)])
    translated = unified.ranked(backend, "Antrag", [Source("page", listed, facet_fields=facet)])
    everything = unified.ranked(backend, "Antrag", [Source("page", ContentPage.objects.live(), facet_fields=facet)])
    assert joined.counts == translated.counts and 1 <= joined.counts["page"] < everything.counts["page"]
    assert joined.facets == translated.facets and joined.facets["department"]
    assert [obj.pk for _, obj, _ in joined.hits] == [obj.pk for _, obj, _ in translated.hits]


def test_a_documents_facts_are_its_objects_filter_values(city):
    """``search_document.facts`` holds the object's own FilterField values, rewritten with the
    document (here: a page moved to another department and indexed again)."""
    from wagtail.search import index

    from people.models import Department

    page = city.antrag.specific

    def stored():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.facts FROM search_document d JOIN django_content_type c ON c.id = d.content_type_id "
                "WHERE c.model = 'wikipage' AND d.object_id = %s",
                [page.pk],
            )
            return json.loads(cursor.fetchone()[0])

    assert stored()["live"] is True and stored()["section_department_id"] == page.section_department_id
    other = Department.objects.create(name="Kämmerei", short_name="Käm")
    type(page).objects.filter(pk=page.pk).update(section_department=other)
    page.refresh_from_db()
    index.insert_or_update_object(page)
    assert stored()["section_department_id"] == other.pk


def test_indexing_an_unchanged_object_again_rewrites_no_row(city):
    """A full rebuild writes every object again. A row whose text and facts are unchanged stays
    where it is (same ctid): rewriting it left a dead copy behind, so a rebuild doubled the tables
    and a search read twice the pages (docs/performance.md). A real change is still written."""
    from modelsearch.index import insert_or_update_object

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.ctid::text, e.ctid::text FROM search_document d "
                "JOIN wagtailsearch_indexentry e ON e.id = d.entry_id "
                "JOIN django_content_type c ON c.id = e.content_type_id "
                "WHERE c.model = 'wikipage' AND e.object_id = %s",
                [str(city.antrag.pk)],
            )
            return cursor.fetchone()

    before = rows()
    insert_or_update_object(city.antrag.specific)
    assert rows() == before
    city.antrag.title = "Antrag auf Akteneinsicht und Auskunft"
    city.antrag.save(update_fields=["title"])
    insert_or_update_object(city.antrag.specific)
    document, entry = rows()
    assert document != before[0] and entry != before[1]
    assert "Antrag auf Akteneinsicht und Auskunft" in titles(find(city.user, "Auskunft"))


def test_the_sites_connections_give_the_search_room_to_sort():
    """The search statement sorts and groups every match; with the server's default work_mem (4MB)
    a frequent word's matches spill to disk at 1M documents. DB_WORK_MEM (default 32MB) is set on
    every connection the site opens."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "32MB"


# --- a frequent word: the best candidates from the RUM index, counts up to a bound -------------


@pytest.fixture
def frequent(city, django_capture_on_commit_callbacks):
    """ "Dienstplan" in the title of three pages (the best matches) and in the text of six posts,
    two of them hidden by a moderator; planner statistics as after a rebuild."""
    pages = [
        add_page(city.section, WikiPage(title=f"Dienstplan {name}", slug=f"dienstplan-{slug}", body=rich(f"Der Dienstplan {name}.")))
        for name, slug in [("Bürgeramt", "ba"), ("Feuerwache", "fw"), ("Bauhof", "bh")]
    ]  # fmt: skip
    posts = [
        post(
            city.author, f"Im Dienstplan für {day} fehlt noch jemand", city.channel, django_capture_on_commit_callbacks
        )
        for day in ["Montag", "Dienstag", "Mittwoch", "Donnerstag"]
    ]
    hidden = [
        post(city.author, f"Dienstplan Dienstplan Dienstplan {n}", city.channel, django_capture_on_commit_callbacks)
        for n in range(2)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        moderator = city.user.__class__.objects.get(username="moderation")
        for item in hidden:
            post_actions.hide_post(post=item, moderator=moderator, reason="Doppelt")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    return pages, posts, hidden


def test_a_title_with_the_word_only_as_a_compound_part_is_among_the_candidates(
    frequent, city, settings, django_capture_on_commit_callbacks
):
    """The engine puts a title match above a match in a text, a compound part included; the
    order of the index over title and text does not (the posts repeat the word itself), so the
    best titles are candidates of their own."""
    add_page(city.section, WikiPage(title="Dienstplanänderung melden", slug="dp-aenderung", body=rich("Formular.")))
    for n in range(6):
        post(
            city.author,
            f"Dienstplan Dienstplan Dienstplan Nummer {n}",
            city.channel,
            django_capture_on_commit_callbacks,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    settings.SEARCH_EXACT_COUNT_LIMIT = 0
    exact = titles(find(city.user, "Dienstplan", limit=4))
    assert "Dienstplanänderung melden" in exact
    settings.SEARCH_EXACT_COUNT_LIMIT, settings.SEARCH_RANK_CANDIDATES = 5, 4
    bounded = find(city.user, "Dienstplan", limit=4)
    assert not bounded.count_exact and titles(bounded) == exact


def test_a_frequent_word_ranks_the_best_candidates_and_says_more_than_the_bound(frequent, city, settings):
    pages, _posts, hidden = frequent
    settings.SEARCH_EXACT_COUNT_LIMIT = 0  # every match ranked and counted
    exact = find(city.user, "Dienstplan", limit=2)
    assert exact.count_exact and exact.count == 7  # three pages, four visible posts
    assert {hit.title for hit in exact.hits} <= {page.title for page in pages}
    settings.SEARCH_EXACT_COUNT_LIMIT, settings.SEARCH_RANK_CANDIDATES = 5, 4
    bounded = find(city.user, "Dienstplan", limit=2)
    assert not bounded.count_exact and bounded.count == 5  # "mehr als 5"
    assert titles(bounded) == titles(exact)  # the best are among the candidates
    # what the user may not see is neither shown nor counted among the candidates
    assert not {hit.url for hit in bounded.hits} & {item.get_absolute_url() for item in hidden}
    assert sum(bounded.facets["type"].values()) <= 4


def test_up_to_the_bound_the_count_is_exact(frequent, city, settings):
    settings.SEARCH_EXACT_COUNT_LIMIT, settings.SEARCH_RANK_CANDIDATES = 7, 2
    result = find(city.user, "Dienstplan", limit=2)
    # seven visible matches: the two hidden posts are not counted against the bound
    assert result.count_exact and result.count == 7
    assert {kind: n for kind, n in result.facets["type"].items() if n} == {"page": 3, "post": 4}


def test_when_the_candidates_hold_too_few_the_user_may_see_every_match_is_ranked(frequent, city, settings):
    """Two pages of a restricted section have the word twice in the title and are the index's
    best: with two candidates, none is left for the page of two; the search then ranks every
    match, exactly."""
    for n in range(2):
        add_page(
            city.secret,
            WikiPage(title=f"Dienstplan Dienstplan {n}", slug=f"dp-{n}", body=rich("Dienstplan Dienstplan")),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    settings.SEARCH_EXACT_COUNT_LIMIT, settings.SEARCH_RANK_CANDIDATES = 5, 2
    result = find(city.user, "Dienstplan", offset=0, limit=2)
    assert len(result.hits) == 2
    assert result.count_exact and result.count == 7


def test_without_the_rum_index_every_match_is_ranked_and_counted(frequent, city, settings):
    from search.postgres import documents

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {documents.RANK_INDEX}")
    settings.SEARCH_EXACT_COUNT_LIMIT, settings.SEARCH_RANK_CANDIDATES = 5, 4
    result = find(city.user, "Dienstplan", limit=2)
    assert result.count_exact and result.count == 7


def test_the_page_and_the_api_say_more_than_the_bound(
    frequent, city, settings, client, django_capture_on_commit_callbacks
):
    # the page shows 20: candidates enough for it, however the two hidden posts rank
    settings.SEARCH_EXACT_COUNT_LIMIT, settings.SEARCH_RANK_CANDIDATES = 5, 25
    client.force_login(city.user)
    for n in range(20):  # more than a page of the search page (20) holds
        post(city.author, f"Dienstplan Nummer {n}", city.channel, django_capture_on_commit_callbacks)
    page = client.get("/suche/?q=Dienstplan", HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "Mehr als 5 Treffer für „Dienstplan“" in text
    assert 'class="badge">' not in text.split('id="search-count"')[0].split("<form")[1]  # no counts by the types
    answer = client.get("/api/v1/search?q=Dienstplan&limit=2").json()
    assert answer["count"] == 5 and answer["count_exact"] is False
    settings.SEARCH_EXACT_COUNT_LIMIT = 0
    answer = client.get("/api/v1/search?q=Dienstplan&limit=2").json()
    assert answer["count"] == 27 and answer["count_exact"] is True


def test_the_migration_made_the_rum_index_and_the_check_says_when_it_is_missing(city):
    from django.core import checks as django_checks

    from search import checks
    from search.postgres import documents

    assert documents.rank_index_exists(connection)
    assert checks.rank_index(databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {documents.TITLE_RANK_INDEX}")
    warnings = checks.rank_index(databases=["default"])
    assert [w.id for w in warnings] == ["search.W001"] and "rum" in warnings[0].hint
    assert isinstance(warnings[0], django_checks.Warning)
    # the rebuild (or this call) makes it again where the extension is there
    assert documents.create_rank_index(connection) is None and documents.rank_index_exists(connection)


def test_a_server_without_the_extension_is_told_how_to_add_it(city, monkeypatch):
    from search.postgres import documents

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {documents.RANK_INDEX}")
    monkeypatch.setattr(documents, "RANK_EXTENSION", "wn_not_installed")
    problem = documents.create_rank_index(connection)
    assert "wn_not_installed" in problem and "update_index" in problem
    assert not documents.rank_index_exists(connection)
