"""The owner's desk "Meine Seiten" and its numbers on the start page (issue 15, point 4)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback import actions, selectors
from feedback.models import FeedbackComment, HelpfulCount, Question
from home.models import ContentPage, PageLink, WikiPage
from tests.conftest import make_user
from tests.home.conftest import add_page, rich

pytestmark = pytest.mark.django_db

DESK = "/wiki/meine-seiten/"


def own_pages(parent, owner, count, start=0):
    return [
        add_page(parent, WikiPage(title=f"Seite {n:02d}", slug=f"seite-{n}", body=rich("x"), content_owner=owner))
        for n in range(start, start + count)
    ]


def fill(page, number):
    """An open question, an answered one, a yes, a no with comment and a broken link on ``page``."""
    author = make_user(f"frage.{page.pk}.{number}")
    Question.objects.create(page=page, author=author, text=f"Offen {page.title}", html="<p>o</p>")
    Question.objects.create(page=page, author=author, text="beantwortet", html="<p>b</p>", status="answered")
    today = datetime.date.today()
    HelpfulCount.objects.create(page=page, day=today, helpful=2, unhelpful=1)
    FeedbackComment.objects.create(page=page, helpful=False, text="Veraltet", html=f"<p>Veraltet {page.title}</p>")
    PageLink.objects.create(source=page, target=None, target_page_id=99000 + page.pk)


def make_due(page, days=3):
    ContentPage.objects.filter(pk=page.pk).update(review_due=datetime.date.today() - datetime.timedelta(days=days))


def test_the_desk_shows_what_the_owner_looks_after(user_client, wiki_page, other_user, user):
    make_due(wiki_page)
    fill(wiki_page, 0)
    someone_elses = add_page(
        wiki_page.get_parent(), WikiPage(title="Fremde Seite", slug="fremd", body=rich("x"), content_owner=other_user)
    )
    fill(someone_elses, 1)

    html = user_client.get(DESK).content.decode()
    assert "Meine Seiten" in html
    assert "Fällige und überfällige Überprüfungen" in html and "überfällig seit" in html
    assert "Offen Meldebescheinigung ausstellen" in html
    assert "Offen Fremde Seite" not in html and "Veraltet Fremde Seite" not in html
    assert "<td>2</td><td>1</td>" in html
    assert "Veraltet Meldebescheinigung ausstellen" in html
    assert "gelöschte Seite (Nr." in html
    assert "beantwortet</a>" not in html  # only open questions


def test_someone_without_pages_sees_an_explanation(asker_client, wiki_page):
    html = asker_client.get(DESK).content.decode()
    assert "Sie sind für keine Seite verantwortlich" in html


def test_the_desk_costs_the_same_queries_for_1_or_many_pages(user_client, buergeramt_page, user):
    def desk_queries():
        with CaptureQueriesContext(connection) as captured:
            assert user_client.get(DESK).status_code == 200
        return len(captured.captured_queries)

    for page in own_pages(buergeramt_page, user, 1):
        fill(page, 0)
        make_due(page)
    desk_queries()
    few = desk_queries()
    for page in own_pages(buergeramt_page, user, 8, start=1):
        fill(page, 0)
        make_due(page)
    assert desk_queries() == few


def test_owner_desk_selector_query_count(buergeramt_page, user, django_assert_num_queries):
    from home.permissions import remember_for_request

    for page in own_pages(buergeramt_page, user, 6):
        fill(page, 0)
    remember_for_request(user)
    # restrictions, whom the owner stands in for today ("In Vertretung"), site root, owned pages,
    # counts, open questions, comments, broken links, reading progress
    with django_assert_num_queries(9):
        desk = selectors.owner_desk(user=user)
        assert len(desk.pages) == 6 and len(desk.open_questions) == 6 and len(desk.broken_links) == 6
        assert [str(q.author) for q in desk.open_questions]
        assert desk.reading_progress == []


def test_the_desk_shows_how_far_the_reading_of_a_mandatory_page_has_got(
    user_client, buergeramt_page, wiki_page, user, other_user, department
):
    """The owner's mandatory pages with the number who confirmed the current version, and the way
    to the counts per department; a page that is not mandatory reading is not listed."""
    from home import actions as home_actions
    from home.models import ReadingRequirement
    from tests.home.test_reading import make_mandatory

    assert 'id="lesefortschritt"' not in user_client.get(DESK).content.decode()
    make_mandatory(wiki_page, departments=[department], due=datetime.date(2099, 3, 1))
    requirement = ReadingRequirement.objects.get(object_id=wiki_page.pk)
    home_actions.confirm_reading(requirement=requirement, user=other_user)
    section = user_client.get(DESK).content.decode().split('id="lesefortschritt"')[1].split("</section>")[0]
    assert wiki_page.title in section
    assert "1 Bestätigung der aktuellen Fassung (fällig am 01.03.2099)" in section
    assert f'href="/zu-lesen/{requirement.pk}/stand/"' in section


def test_the_start_page_shows_the_desk_numbers_to_owners_only(
    user_client, asker_client, wiki_page, home_page, django_assert_num_queries
):
    make_due(wiki_page)
    fill(wiki_page, 0)
    html = user_client.get("/").content.decode()
    assert 'id="meine-seiten"' in html
    assert "1 Seite in Ihrer Verantwortung" in html
    assert "1 Überprüfung fällig" in html and "1 offene Frage" in html
    assert "Hilfreich: 2 · nicht hilfreich: 1" in html and "1 defekter Link" in html
    assert 'id="meine-seiten"' not in asker_client.get("/").content.decode()

    from people.models import User

    owner = User.objects.get(username="anna.schmidt")
    for page in own_pages(wiki_page.get_parent(), owner, 5, start=10):
        fill(page, 0)
    from home.permissions import remember_for_request

    remember_for_request(owner)
    with django_assert_num_queries(5):  # restrictions, owned pages, open questions, counts, broken links
        counts = selectors.owner_desk_counts(user=owner)
    assert (counts.pages, counts.open_questions, counts.helpful, counts.unhelpful, counts.broken_links) == (
        6,
        6,
        12,
        6,
        6,
    )


def test_a_question_answered_leaves_the_desk(user_client, asker_client, wiki_page, other_user, user):
    question = actions.ask_question(page=wiki_page, author=other_user, text="Noch offen?")
    assert "Noch offen?" in user_client.get(DESK).content.decode()
    actions.answer_question(question=question, user=user, text="Nicht mehr.")
    assert "Noch offen?" not in user_client.get(DESK).content.decode()
