"""Questions in the one search (issue 15, point 2): found by their text and answer, only by those
who may see the page — on both engines (Whoosh; PostgreSQL with SEARCH_BACKEND=postgres)."""

import pytest

from feedback import actions
from search import query

pytestmark = [pytest.mark.search_index]


@pytest.fixture
def immediate_on_commit(monkeypatch):
    """Index writes queued after the commit run at once (the test's transaction never commits)."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


def questions_found(user, q):
    result = query.search(user=user, q=q)
    return [(hit.type, hit.title, hit.url) for hit in result.hits if hit.type == "question"], result


@pytest.mark.django_db
def test_questions_are_found_by_question_and_answer(immediate_on_commit, wiki_page, other_user, user):
    question = actions.ask_question(
        page=wiki_page, author=other_user, text="Gilt die Bescheinigung für Zweitwohnsitze?"
    )
    hits, result = questions_found(user, "Zweitwohnsitze")
    assert hits == [("question", "Gilt die Bescheinigung für Zweitwohnsitze?", f"/wiki/fragen/{question.pk}/")]
    assert result.facets["type"].get("question") == 1

    actions.answer_question(question=question, user=user, text="Ja, auch für Nebenwohnungen.")
    hits, _result = questions_found(other_user, "Nebenwohnungen")
    assert [hit[2] for hit in hits] == [f"/wiki/fragen/{question.pk}/"]


@pytest.mark.django_db
def test_questions_on_pages_someone_may_not_see_are_neither_found_nor_counted(
    immediate_on_commit, personalrat_page, wiki_page, other_user, user
):
    secret = actions.ask_question(
        page=personalrat_page, author=user, text="Vertrauliche Betriebsvereinbarung Homeoffice"
    )
    open_one = actions.ask_question(page=wiki_page, author=user, text="Öffentliche Betriebsvereinbarung Homeoffice")
    hits, result = questions_found(other_user, "Betriebsvereinbarung")
    assert [hit[2] for hit in hits] == [f"/wiki/fragen/{open_one.pk}/"]
    assert "Vertrauliche" not in str(result.hits)
    type_counts = result.facets["type"]
    assert type_counts.get("question") == 1, type_counts
    # the member of the Personalrat finds both
    hits, _result = questions_found(user, "Betriebsvereinbarung")
    assert sorted(hit[2] for hit in hits) == sorted([f"/wiki/fragen/{secret.pk}/", f"/wiki/fragen/{open_one.pk}/"])


@pytest.mark.django_db
def test_a_question_leaves_the_index_with_its_page_and_when_deleted(immediate_on_commit, wiki_page, other_user, user):
    question = actions.ask_question(page=wiki_page, author=other_user, text="Wo liegt das Formular Wohngeld?")
    assert questions_found(user, "Wohngeld")[0]
    wiki_page.unpublish()
    assert questions_found(user, "Wohngeld")[0] == []
    question.delete()
    assert questions_found(user, "Wohngeld")[0] == []


@pytest.mark.django_db
def test_a_question_hit_is_plain_text_cut_at_a_word(immediate_on_commit, wiki_page, other_user, user):
    """The hit reads the rendered question: no Markdown, no entities; a long first line is cut at
    a word with "…", and the answer's Markdown does not leak into the snippet either."""
    text = (
        "**Wichtig:** Gilt die Meldebescheinigung & die Wohnungsgeberbestätigung auch für "
        "Zweitwohnsitze in einer anderen Gemeinde des Landkreises?"
    )
    question = actions.ask_question(page=wiki_page, author=other_user, text=text)
    actions.answer_question(question=question, user=user, text="Ja, _auch_ für **Nebenwohnungen**.")
    (hit,) = [hit for hit in query.search(user=user, q="Zweitwohnsitze").hits if hit.type == "question"]
    assert hit.title.startswith("Wichtig: Gilt die Meldebescheinigung & die") and hit.title.endswith("…")
    assert "*" not in hit.title + hit.snippet and "&amp;amp;" not in hit.snippet
    assert len(hit.title) <= 90 and " " + hit.title[:-1].split()[-1] + " " in " " + text.replace("**", "") + " "
    assert "Nebenwohnungen" in hit.snippet and "_auch_" not in hit.snippet
