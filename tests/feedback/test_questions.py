"""Frage zur Seite (issue 15, point 2): asking, notifying the owner or their stand-in, answering,
resolving, the FAQ on the page, permissions, bad input."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from feedback.models import Question
from people.models import Absence, Notification
from posts.actions import RATE_LIMIT
from posts.models import MAX_LENGTH
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db


def ask_url(page):
    return f"/wiki/seite/{page.pk}/frage/"


def ask(client, page, text):
    return client.post(ask_url(page), {"text": text})


def test_a_colleague_asks_and_the_owner_is_notified(
    asker_client, wiki_page, user, other_user, django_capture_on_commit_callbacks
):
    html = asker_client.get(wiki_page.url).content.decode()
    assert "Frage zur Seite" in html
    assert f'action="{ask_url(wiki_page)}"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(asker_client, wiki_page, "Gilt das auch für **Zweitwohnsitze**?")
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/wiki/fragen/{question.pk}/"
    assert question.author == other_user and question.is_open
    assert "<strong>Zweitwohnsitze</strong>" in question.html

    item = Notification.objects.get(recipient=user)
    assert item.kind == Notification.Kind.PAGE_QUESTION
    assert item.verb == "Neue Frage zu „Meldebescheinigung ausstellen“"
    assert item.url == f"/wiki/fragen/{question.pk}/"
    assert item.actor == other_user

    # the open question is listed on the page for every reader
    html = asker_client.get(wiki_page.url).content.decode()
    assert "Offene Fragen" in html and "Gilt das auch für **Zweitwohnsitze**?" in html


def test_while_the_owner_is_away_the_stand_in_is_notified_too(
    asker_client, wiki_page, user, stand_in, django_capture_on_commit_callbacks
):
    Absence.objects.create(
        user=user,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=5),
        deputy=stand_in,
    )
    with django_capture_on_commit_callbacks(execute=True):
        ask(asker_client, wiki_page, "Wer vertritt?")
    deputy_item = Notification.objects.get(recipient=stand_in)
    assert deputy_item.verb == "In Vertretung für Anna Schmidt: Neue Frage zu „Meldebescheinigung ausstellen“"
    assert Notification.objects.filter(recipient=user).count() == 1

    # the stand-in may answer while the owner is away
    question = Question.objects.get()
    stand_in_client = sign_in(Client(), stand_in)
    assert "Frage beantworten" in stand_in_client.get(question.get_absolute_url()).content.decode()
    response = stand_in_client.post(f"/wiki/fragen/{question.pk}/antworten/", {"answer": "Ich."})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED and question.answered_by == stand_in


def test_the_owner_answers_the_asker_is_told_and_the_faq_shows_it(
    asker_client, user_client, wiki_page, other_user, django_capture_on_commit_callbacks
):
    ask(asker_client, wiki_page, "Wie lange ist die Bescheinigung gültig?")
    question = Question.objects.get()
    # the asker sees no answer form
    assert "Frage beantworten" not in asker_client.get(question.get_absolute_url()).content.decode()
    assert asker_client.post(f"/wiki/fragen/{question.pk}/antworten/", {"answer": "Ich weiß es."}).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(
            f"/wiki/fragen/{question.pk}/antworten/", {"answer": "Drei Monate, siehe *Meldegesetz*.", "in_faq": "on"}
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED and question.in_faq
    assert "<em>Meldegesetz</em>" in question.answer_html
    item = Notification.objects.get(recipient=other_user)
    assert item.kind == Notification.Kind.QUESTION_ANSWERED
    assert item.verb == "Ihre Frage zu „Meldebescheinigung ausstellen“ wurde beantwortet"

    html = asker_client.get(wiki_page.url).content.decode()
    assert "Fragen und Antworten" in html and "<em>Meldegesetz</em>" in html
    assert "Offene Fragen" not in html

    # the owner takes it off the page again; the answer stays on the question's page
    user_client.post(f"/wiki/fragen/{question.pk}/faq/", {"in_faq": "0"})
    html = asker_client.get(wiki_page.url).content.decode()
    assert "<em>Meldegesetz</em>" not in html
    assert "<em>Meldegesetz</em>" in asker_client.get(question.get_absolute_url()).content.decode()


def test_the_owner_resolves_without_answer(asker_client, user_client, wiki_page):
    ask(asker_client, wiki_page, "Hat sich erledigt?")
    question = Question.objects.get()
    assert asker_client.post(f"/wiki/fragen/{question.pk}/erledigt/").status_code == 403
    assert user_client.post(f"/wiki/fragen/{question.pk}/erledigt/").status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.RESOLVED
    # a resolved question cannot be put on the page: it has no answer
    response = user_client.post(f"/wiki/fragen/{question.pk}/faq/", {"in_faq": "1"}, follow=True)
    assert "Nur beantwortete Fragen" in response.content.decode()
    question.refresh_from_db()
    assert not question.in_faq


def test_an_editor_of_the_page_may_answer(
    bauamt_editor, bauamt_page, asker_client, other_user, django_capture_on_commit_callbacks
):
    from home.models import WikiPage
    from tests.home.conftest import add_page, rich

    page = add_page(bauamt_page, WikiPage(title="Bauantrag", slug="bauantrag", body=rich("x"), content_owner=None))
    with django_capture_on_commit_callbacks(execute=True):
        ask(asker_client, page, "Wer ist zuständig?")
    question = Question.objects.get()
    assert not Notification.objects.exclude(recipient=other_user).exists()  # no owner: nobody notified
    editor = sign_in(Client(), bauamt_editor)
    assert editor.post(f"/wiki/fragen/{question.pk}/antworten/", {"answer": "Wir."}).status_code == 302


def test_who_cannot_see_the_page_can_neither_see_nor_ask(personalrat_page, asker_client, user_client):
    # the owner (in the Personalrat) asks themselves; the colleague outside sees nothing of it
    ask(user_client, personalrat_page, "Interne Frage")
    question = Question.objects.get()
    assert asker_client.get(ask_url(personalrat_page)).status_code == 404
    assert ask(asker_client, personalrat_page, "Darf ich?").status_code == 404
    assert asker_client.get(question.get_absolute_url()).status_code == 404
    for action in ("antworten", "erledigt", "faq"):
        assert asker_client.post(f"/wiki/fragen/{question.pk}/{action}/", {"answer": "x"}).status_code == 404
    assert Question.objects.count() == 1
    assert user_client.get(question.get_absolute_url()).status_code == 200


def test_an_unpublished_page_takes_its_questions_out_of_sight(asker_client, wiki_page):
    ask(asker_client, wiki_page, "Noch aktuell?")
    question = Question.objects.get()
    wiki_page.unpublish()
    assert asker_client.get(question.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Bitte schreiben Sie etwas"),
        ("   \n\u200b ", "Bitte schreiben Sie etwas"),
        ("x" * (MAX_LENGTH + 1), "höchstens 2.000 Zeichen"),
        ("Nullbyte \x00 hier", "Zeichen"),
    ],
)
def test_bad_questions_get_a_form_error_and_keep_the_text(
    asker_client, wiki_page, text, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(asker_client, wiki_page, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="field__error"' in html
    if text.strip() and "\x00" not in text:
        assert text in html  # nothing lost
    assert not Question.objects.exists()
    assert not Notification.objects.exists()


def test_bad_answers_get_a_form_error_and_keep_the_text(asker_client, user_client, wiki_page):
    ask(asker_client, wiki_page, "Frage")
    question = Question.objects.get()
    too_long = "y" * (MAX_LENGTH + 5)
    response = user_client.post(f"/wiki/fragen/{question.pk}/antworten/", {"answer": too_long, "in_faq": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "höchstens 2.000 Zeichen" in html and too_long in html
    assert 'name="in_faq" id="id_in_faq" checked' in html
    response = user_client.post(f"/wiki/fragen/{question.pk}/antworten/", {"answer": " "})
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.is_open and not question.answer


def test_raw_html_in_a_question_is_shown_as_text(asker_client, wiki_page):
    ask(asker_client, wiki_page, "<script>alert(1)</script> [klick](javascript:alert(1))")
    question = Question.objects.get()
    html = asker_client.get(question.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "javascript:" not in question.html


def test_questions_have_the_posts_rate_limit(asker_client, wiki_page):
    count, _seconds = RATE_LIMIT
    for number in range(count):
        assert ask(asker_client, wiki_page, f"Frage {number}").status_code == 302
    response = ask(asker_client, wiki_page, "Noch eine Frage")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte warten Sie einen Moment" in html and "Noch eine Frage" in html
    assert Question.objects.count() == count


def test_the_page_lists_faq_and_open_questions_in_one_query(wiki_page, other_user, django_assert_num_queries):
    from feedback import selectors

    def make(number):
        author = make_user(f"frager.{number}")
        Question.objects.create(page=wiki_page, author=author, text=f"offen {number}", html="<p>o</p>")
        Question.objects.create(
            page=wiki_page, author=author, text=f"faq {number}", html="<p>f</p>", status="answered", in_faq=True,
            answer="z", answer_html="<p>z</p>",
        )  # fmt: skip
        Question.objects.create(page=wiki_page, author=author, text="erledigt", html="<p>e</p>", status="resolved")

    make(0)
    with django_assert_num_queries(1):  # the questions with their askers
        result = selectors.page_questions(page=wiki_page)
        assert [str(q.author) for q in result.open] == ["Frager 0"]
    for number in range(1, 12):
        make(number)
    with django_assert_num_queries(1):
        result = selectors.page_questions(page=wiki_page)
        assert len(result.open) == 12 and len(result.faq) == 12
        assert all(q.author.username.startswith("frager") for q in result.open + result.faq)


def test_the_page_costs_the_same_queries_for_1_or_many_questions(asker_client, wiki_page, other_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries():
        with CaptureQueriesContext(connection) as captured:
            assert asker_client.get(wiki_page.url).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    def make(number):
        author = make_user(f"frager.{number}")
        Question.objects.create(page=wiki_page, author=author, text="x", html="<p>x</p>")
        Question.objects.create(
            page=wiki_page, author=author, text="y", html="<p>y</p>", status="answered", in_faq=True, answer="z",
            answer_html="<p>z</p>",
        )  # fmt: skip

    make(0)
    page_queries()  # caches warmed (site root, content types)
    few = page_queries()
    for number in range(1, 15):
        make(number)
    assert len(page_queries()) == len(few)


def test_in_english_too(asker_client, wiki_page):
    from django.utils import translation

    asker_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        html = asker_client.get(wiki_page.url).content.decode()
        assert "Question about this page" in html and "Was this page helpful?" in html
        response = ask(asker_client, wiki_page, " ")
        assert "Please write something: the text is empty." in response.content.decode()
        html = asker_client.get("/wiki/meine-seiten/").content.decode()
        assert "My pages" in html and "You are not responsible for any page." in html
    finally:
        # the request left English active in this test process: later tests expect German
        asker_client.post("/i18n/setlang/", {"language": "de", "next": "/"})
        translation.activate("de")
