"""War das hilfreich? (issue 15, point 3): counts only, one vote per person and page, the
optional comment to the owner without its author, the editors' report."""

import pytest
from django.test import Client

from feedback.models import FeedbackComment, HelpfulCount, HelpfulVote
from posts.actions import RATE_LIMIT
from posts.models import MAX_LENGTH
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db


def vote(client, page, helpful, comment=""):
    return client.post(f"/wiki/seite/{page.pk}/hilfreich/", {"helpful": helpful, "comment": comment})


def totals(page):
    counts = HelpfulCount.objects.filter(page=page)
    return sum(c.helpful for c in counts), sum(c.unhelpful for c in counts)


def test_yes_and_no_are_counted_and_nobody_is_stored(asker_client, user_client, wiki_page, other_user, user):
    html = asker_client.get(wiki_page.url).content.decode()
    assert "War das hilfreich?" in html and 'value="ja"' in html and 'value="nein"' in html

    assert vote(asker_client, wiki_page, "nein", "Die **Gebühr** fehlt.").status_code == 302
    assert vote(user_client, wiki_page, "ja").status_code == 302
    assert totals(wiki_page) == (1, 1)
    comment = FeedbackComment.objects.get()
    assert not comment.helpful and "<strong>Gebühr</strong>" in comment.html

    # nothing that names the person: no account column, no id in the stored key
    for model in (HelpfulCount, HelpfulVote, FeedbackComment):
        assert not [f for f in model._meta.get_fields() if getattr(f, "related_model", None) is type(other_user)]
    for key in HelpfulVote.objects.values_list("voter_key", flat=True):
        assert str(other_user.pk) not in key.split(":") and len(key) == 64

    # the page thanks instead of asking again
    html = asker_client.get(wiki_page.url).content.decode()
    assert "Sie haben zu dieser Seite schon eine Rückmeldung gegeben" in html


def test_a_second_vote_is_refused_and_counts_nothing(asker_client, wiki_page):
    vote(asker_client, wiki_page, "ja")
    response = vote(asker_client, wiki_page, "nein", "Doch nicht.")
    assert response.status_code == 400
    assert "Sie haben zu dieser Seite schon eine Rückmeldung gegeben" in response.content.decode()
    assert totals(wiki_page) == (1, 0)
    assert not FeedbackComment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"helpful": "", "comment": "Was soll ich wählen?"}, "Bitte wählen Sie „Ja“ oder „Nein“."),
        ({"helpful": "vielleicht", "comment": "Hmm"}, "Bitte wählen Sie „Ja“ oder „Nein“."),
        ({"helpful": "nein", "comment": "z" * (MAX_LENGTH + 1)}, "höchstens 2.000 Zeichen"),
        ({"helpful": "nein", "comment": "kaputt \x00"}, "Zeichen"),
    ],
)
def test_bad_feedback_gets_a_form_error_and_keeps_the_comment(asker_client, wiki_page, data, message):
    response = asker_client.post(f"/wiki/seite/{wiki_page.pk}/hilfreich/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if "\x00" not in data["comment"]:
        assert data["comment"] in html
    assert not HelpfulVote.objects.exists() and not HelpfulCount.objects.exists()
    assert not FeedbackComment.objects.exists()
    # the person may still vote afterwards
    assert vote(asker_client, wiki_page, "ja").status_code == 302


def test_comments_have_the_posts_rate_limit(wiki_page, department, buergeramt_page):
    from home.models import WikiPage
    from tests.home.conftest import add_page, rich

    count, _seconds = RATE_LIMIT
    client = sign_in(Client(), make_user("viel.schreiber", department=department))
    pages = [
        add_page(buergeramt_page, WikiPage(title=f"Seite {n}", slug=f"seite-{n}", body=rich("x")))
        for n in range(count + 1)
    ]
    for page in pages[:count]:
        assert vote(client, page, "nein", "Hinweis").status_code == 302
    response = vote(client, pages[-1], "nein", "Noch ein Hinweis")
    assert response.status_code == 400
    assert "Bitte warten Sie einen Moment" in response.content.decode()
    assert FeedbackComment.objects.count() == count
    # a vote without comment is not limited
    assert vote(client, pages[-1], "nein").status_code == 302


def test_who_cannot_see_the_page_cannot_vote(personalrat_page, asker_client):
    assert vote(asker_client, personalrat_page, "nein").status_code == 404
    assert asker_client.get(f"/wiki/seite/{personalrat_page.pk}/hilfreich/").status_code == 404
    assert not HelpfulCount.objects.exists()


def test_unhelpful_pages_appear_next_to_the_zero_result_searches(
    admin_client, asker_client, user_client, wiki_page, personalrat_page, django_assert_num_queries
):
    from feedback import selectors

    vote(asker_client, wiki_page, "nein")
    vote(user_client, wiki_page, "ja")
    vote(user_client, personalrat_page, "nein")
    html = admin_client.get("/admin/suchstatistik/").content.decode()
    assert html.index("Suchanfragen ohne Treffer") < html.index("Seiten, die Lesende nicht hilfreich fanden")
    assert "Meldebescheinigung ausstellen" in html

    # an editor sees only pages they may see; the list costs the same whatever its length
    from people.models import User

    outsider = User.objects.get(username="mehmet.yilmaz")
    # the view restrictions and the groups passed (a group restriction exists), the counts per
    # page, the site root
    with django_assert_num_queries(4):
        pages = selectors.unhelpful_pages(user=outsider, days=30)
    assert [(p.title, p.unhelpful, p.helpful) for p in pages] == [("Meldebescheinigung ausstellen", 1, 1)]
