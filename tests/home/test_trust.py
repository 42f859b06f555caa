"""Owners, review intervals and "Überprüfung fällig"."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry

from home.models import ContentPage, WikiPage, add_months
from people.models import Notification
from tests.conftest import make_user, sign_in
from tests.home.conftest import add_page, publish, rich


def make_due(page, *, days_ago=1):
    """Pretends the page was last reviewed one interval (plus `days_ago`) ago."""
    reviewed = add_months(timezone.localdate() - datetime.timedelta(days=days_ago), -page.review_interval_months)
    ContentPage.objects.filter(pk=page.pk).update(
        last_reviewed=reviewed, review_due=add_months(reviewed, page.review_interval_months)
    )
    page.refresh_from_db()
    return page


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)
    assert add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)


@pytest.mark.django_db
def test_new_page_is_due_one_interval_after_publishing(wiki_page):
    assert wiki_page.review_due == add_months(timezone.localdate(), 12)
    assert not wiki_page.is_review_due


@pytest.mark.django_db
def test_changing_the_interval_moves_the_due_date(wiki_page):
    wiki_page.review_interval_months = 3
    publish(wiki_page)
    assert wiki_page.review_due == add_months(timezone.localdate(), 3)


@pytest.mark.django_db
def test_due_page_shows_badge_and_reviewed_page_shows_who_and_when(user_client, wiki_page, user):
    make_due(wiki_page)
    html = user_client.get(wiki_page.url).content.decode()
    assert "Überprüfung fällig" in html

    response = user_client.post(f"/wiki/seite/{wiki_page.pk}/geprueft/")
    assert response.status_code == 302
    html = user_client.get(wiki_page.url).content.decode()
    assert "Überprüfung fällig" not in html
    assert f"Geprüft am {timezone.localdate():%d.%m.%Y} von Anna Schmidt" in html


@pytest.mark.django_db
def test_marking_reviewed_is_one_click_without_a_new_revision_and_is_audited(user_client, wiki_page, user):
    make_due(wiki_page)
    revisions = wiki_page.revisions.count()
    user_client.post(f"/wiki/seite/{wiki_page.pk}/geprueft/")
    page = WikiPage.objects.get(pk=wiki_page.pk)
    assert page.revisions.count() == revisions
    assert page.last_reviewed == timezone.localdate() and page.last_reviewed_by == user
    assert page.review_due == add_months(timezone.localdate(), 12)
    assert PageLogEntry.objects.filter(page=page, action="home.reviewed", user=user).exists()


@pytest.mark.django_db
def test_review_survives_the_next_publication_of_an_older_draft(user_client, wiki_page, user):
    wiki_page.save_revision()  # a draft saved before the review
    user_client.post(f"/wiki/seite/{wiki_page.pk}/geprueft/")
    WikiPage.objects.get(pk=wiki_page.pk).get_latest_revision().publish()
    assert WikiPage.objects.get(pk=wiki_page.pk).last_reviewed == timezone.localdate()


@pytest.mark.django_db
def test_only_owner_and_editors_may_mark_reviewed(wiki_page, other_user):
    make_due(wiki_page)
    client = Client()
    sign_in(client, other_user)
    html = client.get(wiki_page.url).content.decode()
    assert "Als geprüft markieren" not in html
    assert client.post(f"/wiki/seite/{wiki_page.pk}/geprueft/").status_code == 403
    assert WikiPage.objects.get(pk=wiki_page.pk).is_review_due


@pytest.mark.django_db
def test_marking_reviewed_needs_post(user_client, wiki_page):
    assert user_client.get(f"/wiki/seite/{wiki_page.pk}/geprueft/").status_code == 405


@pytest.mark.django_db
def test_start_page_lists_the_owners_due_pages(user_client, wiki_page, process_page, other_user):
    make_due(wiki_page)
    html = user_client.get("/").content.decode()
    assert "Ihre fälligen Überprüfungen" in html
    assert "Meldebescheinigung ausstellen" in html
    assert "Wohnsitz anmelden" not in html  # not due yet

    client = Client()
    sign_in(client, other_user)
    assert "Ihre fälligen Überprüfungen" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_start_page_lists_due_pages_of_the_editors_section(central_editor, wiki_page):
    make_due(wiki_page)
    client = Client()
    sign_in(client, central_editor)
    assert "Meldebescheinigung ausstellen" in client.get("/").content.decode()


@pytest.mark.django_db
def test_notify_review_due_mails_each_owner_once_per_due_date(wiki_page, process_page, user, buergeramt_page):
    make_due(wiki_page)
    make_due(process_page, days_ago=10)
    someone = make_user("jan.neumann")
    other = add_page(
        buergeramt_page, WikiPage(title="Fremde Seite", slug="fremd", body=rich("x"), content_owner=someone)
    )
    make_due(other)

    call_command("notify_review_due", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2
    anna = next(message for message in mail.outbox if message.to == [user.email])
    assert "Meldebescheinigung ausstellen" in anna.body and "Wohnsitz anmelden" in anna.body
    assert "Überprüfung" in anna.subject
    assert Notification.objects.filter(recipient=user, kind=Notification.Kind.REVIEW_DUE).count() == 2

    call_command("notify_review_due", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2  # nothing new fell due


@pytest.mark.django_db
def test_notify_review_due_skips_pages_without_owner_and_unpublished_pages(wiki_page):
    wiki_page.content_owner = None
    publish(wiki_page)
    make_due(wiki_page)
    call_command("notify_review_due", stdout=open("/dev/null", "w"))
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_new_page_belongs_to_its_creator_until_another_owner_is_chosen(bauamt_editor, bauamt_page, wiki_page):
    client = sign_in(Client(), bauamt_editor)
    response = client.get(f"/admin/pages/add/home/wikipage/{bauamt_page.pk}/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form["content_owner"].value() == bauamt_editor.pk
    # editing a page keeps its owner (or none): nothing is filled in there
    owned = client.get(f"/admin/pages/{bauamt_page.pk}/edit/").context["form"]
    assert owned["content_owner"].value() == bauamt_page.content_owner_id
