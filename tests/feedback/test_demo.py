"""The demo data shows open questions and feedback on a page its demo owner sees on the desk."""

import pytest
from django.test import Client

from feedback.models import FeedbackComment, HelpfulCount, Question
from people.models import Notification, User
from tests.conftest import sign_in


@pytest.mark.django_db
def test_the_demo_page_has_open_questions_faq_and_feedback_and_loads_again_without_duplicates(
    django_capture_on_commit_callbacks,
):
    from feedback import demo as feedback_demo
    from home import demo as home_demo
    from people import demo as people_demo

    people_demo.load()
    home_demo.load()
    with django_capture_on_commit_callbacks(execute=True):  # the owner's notifications
        assert feedback_demo.load() == {"questions": 4, "votes": 5}
    assert Question.objects.filter(status="open").count() == 2
    assert Question.objects.filter(status="answered", in_faq=True).count() == 1
    assert FeedbackComment.objects.count() == 2
    assert sum(HelpfulCount.objects.values_list("helpful", flat=True)) == 3

    anna = User.objects.get(username="anna.schmidt")
    assert Notification.objects.filter(recipient=anna, kind=Notification.Kind.PAGE_QUESTION).exists()
    client = sign_in(Client(), anna)
    desk = client.get("/wiki/meine-seiten/").content.decode()
    assert "Nebenwohnung" in desk and "leichter Sprache" in desk
    assert "verspätete Anmeldung" in desk
    start = client.get("/").content.decode()
    assert "2 offene Fragen" in start

    page = Question.objects.first().page
    html = client.get(page.url).content.decode()
    assert "Fragen und Antworten" in html and "Wohnungsgeberbestätigung als PDF" in html

    assert feedback_demo.load() == {"questions": 0, "votes": 0}
    assert Question.objects.count() == 4
