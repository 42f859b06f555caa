"""The desk's "In Vertretung": a stand-in finds the open questions and the reviews due of the
pages whose owner is absent today and for whom they stand in (issue 16, point 2)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from feedback import selectors
from feedback.models import Question
from home.models import ContentPage, WikiPage
from home.permissions import remember_for_request
from people.models import Absence
from tests.conftest import make_user, sign_in
from tests.home.conftest import add_page, rich

pytestmark = pytest.mark.django_db

DESK = "/wiki/meine-seiten/"


def away(user, *, deputy=None):
    today = datetime.date.today()
    return Absence.objects.create(user=user, starts_on=today, ends_on=today + datetime.timedelta(days=9), deputy=deputy)


def ask(page, text, author):
    return Question.objects.create(page=page, author=author, text=text, html=f"<p>{text}</p>")


def overdue(page):
    ContentPage.objects.filter(pk=page.pk).update(review_due=datetime.date.today() - datetime.timedelta(days=2))


def test_the_stand_in_finds_the_absent_owners_questions_and_reviews_on_their_desk(
    wiki_page, personalrat_page, user, other_user, stand_in
):
    ask(wiki_page, "Wo finde ich das Formular?", other_user)
    ask(personalrat_page, "Interne Frage des Personalrats", user)
    overdue(wiki_page)
    absence = away(user, deputy=stand_in)

    response = sign_in(Client(), stand_in).get(DESK)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="vertretung"' in html and "In Vertretung" in html
    assert f"Anna Schmidt (abwesend bis {absence.ends_on:%d.%m.%Y})" in html
    assert "Wo finde ich das Formular?" in html
    assert "Meldebescheinigung ausstellen" in html and "überfällig seit" in html
    # a page the stand-in may not see stays hidden, with its question
    assert "Interne Frage" not in html and "Dienstvereinbarung intern" not in html
    # they may answer it (feedback.permissions: the stand-in of an absent owner)
    question = Question.objects.get(page=wiki_page)
    assert sign_in(Client(), stand_in).get(f"/wiki/fragen/{question.pk}/").context["can_answer"]

    # nobody else gets the section; the owner's own desk is unchanged
    assert 'id="vertretung"' not in sign_in(Client(), other_user).get(DESK).content.decode()
    # back: the section is gone
    Absence.objects.all().delete()
    assert 'id="vertretung"' not in sign_in(Client(), stand_in).get(DESK).content.decode()


def test_the_units_deputy_head_stands_in_when_no_deputy_is_named(wiki_page, user, other_user, stand_in, department):
    ask(wiki_page, "Frage ohne Vertretung?", other_user)
    away(user)
    assert 'id="vertretung"' not in sign_in(Client(), stand_in).get(DESK).content.decode()
    department.deputy_head = stand_in
    department.save()
    html = sign_in(Client(), stand_in).get(DESK).content.decode()
    assert "Frage ohne Vertretung?" in html
    # a deputy named on the absence comes first: then the deputy head is not the stand-in
    Absence.objects.update(deputy=other_user)
    assert 'id="vertretung"' not in sign_in(Client(), stand_in).get(DESK).content.decode()
    assert "Frage ohne Vertretung?" in sign_in(Client(), other_user).get(DESK).content.decode()


def _owners_with_pages(parent, prefix, count, pages_each, deputy, asker):
    for n in range(count):
        owner = make_user(f"owner.{prefix}{n}", first_name="Owner", last_name=f"{prefix}{n:02d}")
        away(owner, deputy=deputy)
        for m in range(pages_each):
            page = add_page(
                parent,
                WikiPage(title=f"S {prefix}{n}-{m}", slug=f"s-{prefix}{n}-{m}", body=rich("x"), content_owner=owner),
            )
            ask(page, f"Frage {prefix}{n}-{m}", asker)
            overdue(page)


def test_the_section_costs_the_same_queries_for_few_and_many(buergeramt_page, stand_in, other_user):
    def covering_queries(expected):
        remember_for_request(stand_in)
        with CaptureQueriesContext(connection) as captured:
            desk = selectors.owner_desk(user=stand_in)
        assert len(desk.covering_questions) == expected == len(desk.covering_reviews)
        return len(captured.captured_queries)

    client = sign_in(Client(), stand_in)

    def view_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DESK).status_code == 200
        return len(captured.captured_queries)

    remember_for_request(stand_in)
    assert selectors.owner_desk(user=stand_in).covering == []

    _owners_with_pages(buergeramt_page, "a", 1, 1, stand_in, other_user)
    # (the restrictions and the site root are remembered for the request) whom they stand in for,
    # those owners' pages, their open questions (with askers), the own pages (none: the rest of
    # the desk is not read)
    assert covering_queries(1) == 4
    view_queries()
    few_view = view_queries()

    _owners_with_pages(buergeramt_page, "b", 5, 3, stand_in, other_user)
    assert covering_queries(16) == 4
    assert view_queries() == few_view
