"""GDPR (issue 15, point 2 and 3): questions are exported and erased with the person; of
"War das hilfreich?" only the pages someone gave feedback on are exported (not how), and the
marker that refuses a second vote goes with the person, the counts stay."""

import json

import pytest
from django.test import Client

from feedback import actions
from feedback.models import FeedbackComment, HelpfulCount, HelpfulVote, Question
from people.models import User
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

EXPORT = "/personen/datenschutz/export/"


@pytest.fixture
def asked(wiki_page, other_user, user):
    question = actions.ask_question(page=wiki_page, author=other_user, text="Wie lange gilt die Bescheinigung?")
    actions.answer_question(question=question, user=user, text="Drei Monate.")
    actions.give_feedback(page=wiki_page, user=other_user, helpful=False, comment="Die Gebühr fehlt.")
    return question


def test_the_export_holds_my_questions_and_where_i_gave_feedback_not_how(asked, asker_client, user_client, wiki_page):
    data = json.loads(asker_client.post(EXPORT).content)["feedback"]
    assert [q["question"] for q in data["questions_asked"]] == ["Wie lange gilt die Bescheinigung?"]
    assert data["questions_asked"][0]["answer"] == "Drei Monate."
    assert data["helpful_feedback_given_on_pages"] == [wiki_page.pk]
    assert "Die Gebühr fehlt." not in json.dumps(data)  # comments carry no author
    assert "helpful" not in json.dumps(data["questions_asked"])

    owner = json.loads(user_client.post(EXPORT).content)["feedback"]
    assert [a["answer"] for a in owner["answers_given"]] == ["Drei Monate."]
    assert owner["questions_asked"] == [] and owner["helpful_feedback_given_on_pages"] == []


@pytest.mark.parametrize("posts", ["keep", "delete"])
def test_erasing_the_asker(asked, admin_client, other_user, wiki_page, settings, posts):
    settings.ERASED_USER_POSTS = posts
    response = admin_client.post(
        f"/personen/{other_user.username}/loeschen/", {"confirm_username": other_user.username}
    )
    assert response.status_code == 302
    assert not HelpfulVote.objects.exists()  # the marker goes
    assert HelpfulCount.objects.get().unhelpful == 1  # the counts stay
    assert FeedbackComment.objects.count() == 1
    if posts == "keep":
        question = Question.objects.get()
        assert str(question.author) == "ehemalige/r Mitarbeiter/in"
    else:
        assert not Question.objects.exists()
        assert not User.objects.filter(pk=other_user.pk).exists()


def test_erasing_the_owner_keeps_the_answer_without_the_name(asked, admin_client, user, settings):
    settings.ERASED_USER_POSTS = "delete"
    admin_client.post(f"/personen/{user.username}/loeschen/", {"confirm_username": user.username})
    question = Question.objects.get()
    assert question.answer == "Drei Monate." and question.answered_by is None
    client = sign_in(Client(), User.objects.get(username="mehmet.yilmaz"))
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Drei Monate." in html and "Anna" not in html


def test_the_privacy_page_says_what_is_kept(asker_client):
    html = asker_client.get("/personen/datenschutz/").content.decode()
    assert "Fragen, die Sie zu einer Seite stellen" in html
    assert "als Kennziffer, nicht Ihr Name" in html
