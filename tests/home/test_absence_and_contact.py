"""Pages and absences (issue 16): the owner box says who is away and who stands in, process pages
answer "Wer ist zuständig?", review reminders also reach the stand-in of an absent owner, and
the API gives the current contact of a page."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from home.models import ProcessPage
from people.models import Absence, Notification, Profile
from tests.api.conftest import token_for
from tests.conftest import make_user
from tests.home.conftest import add_page
from tests.home.test_trust import make_due


@pytest.fixture(autouse=True)
def german(settings):
    settings.LANGUAGE_CODE = "de"


def until(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def away(user, *, deputy=None, days=5):
    return Absence.objects.create(user=user, starts_on=timezone.localdate(), ends_on=until(days), deputy=deputy)


@pytest.fixture
def stand_in(db, department):
    person = make_user("sophie.krueger", department=department, first_name="Sophie", last_name="Krüger")
    Profile.objects.filter(user=person).update(phone="0421 361-1104")
    return person


@pytest.mark.django_db
def test_owner_box_says_the_owner_is_away_and_who_stands_in(user_client, wiki_page, user, other_user, stand_in):
    away(user, deputy=stand_in)
    html = user_client.get(wiki_page.url).content.decode()
    assert f"abwesend bis {until(5):%d.%m.%Y}, vertreten durch Sophie Krüger" in html
    Absence.objects.all().delete()
    assert "abwesend bis" not in user_client.get(wiki_page.url).content.decode()


@pytest.mark.django_db
def test_process_page_names_whom_to_turn_to_today(user_client, process_page, user, other_user, stand_in):
    ProcessPage.objects.filter(pk=process_page.pk).update(contact_person=other_user)
    html = user_client.get(process_page.url).content.decode()
    assert "Wer ist zuständig?" in html
    assert "Heute ansprechbar" in html and "in Vertretung für" not in html  # present: the contact themself

    away(other_user, deputy=stand_in)
    html = user_client.get(process_page.url).content.decode()
    assert "in Vertretung für Mehmet Yılmaz" in html
    assert "Sophie Krüger" in html and "0421 361-1104" in html and "Einheit: Bürgeramt" in html


@pytest.mark.django_db
def test_process_page_without_contact_person_names_its_owner(user_client, process_page, user):
    html = user_client.get(process_page.url).content.decode()
    assert "Wer ist zuständig?" in html and "Anna Schmidt" in html


@pytest.mark.django_db
def test_api_page_gives_the_current_contact(client, process_page, user, other_user, stand_in):
    ProcessPage.objects.filter(pk=process_page.pk).update(contact_person=other_user)
    away(other_user, deputy=stand_in)
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    body = client.get(f"/api/v1/pages/{process_page.pk}", headers=headers).json()
    assert body["contact"]["responsible"]["username"] == "mehmet.yilmaz"
    assert body["contact"]["absence"]["until"] == until(5).isoformat()
    assert body["contact"]["absence"]["stand_in"]["username"] == "sophie.krueger"
    assert body["contact"]["today"] == {
        "username": "sophie.krueger",
        "name": "Sophie Krüger",
        "department": "Bürgeramt",
        "phone": "0421 361-1104",
        "url": "/personen/sophie.krueger/",
    }
    other_user.is_active = False
    other_user.save()
    body = client.get(f"/api/v1/pages/{process_page.pk}", headers=headers).json()
    assert body["contact"] is None  # a deactivated contact is nobody to turn to


@pytest.mark.django_db
def test_review_reminders_also_reach_the_stand_in_of_an_absent_owner(wiki_page, process_page, user, stand_in):
    make_due(wiki_page)
    make_due(process_page)
    away(user, deputy=stand_in)

    call_command("notify_review_due", stdout=open("/dev/null", "w"))
    assert sorted(message.to[0] for message in mail.outbox) == [user.email, stand_in.email]
    deputy_mail = next(message for message in mail.outbox if message.to == [stand_in.email])
    assert "In Vertretung für Anna Schmidt" in deputy_mail.body
    assert "Meldebescheinigung ausstellen" in deputy_mail.body and "Wohnsitz anmelden" in deputy_mail.body
    items = Notification.objects.filter(recipient=stand_in, kind=Notification.Kind.REVIEW_DUE)
    assert items.count() == 2
    assert all(item.verb.startswith("In Vertretung für Anna Schmidt: ") for item in items)
    assert Notification.objects.filter(recipient=user, kind=Notification.Kind.REVIEW_DUE).count() == 2

    call_command("notify_review_due", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2  # nothing sent twice


@pytest.mark.django_db
def test_a_stand_in_who_owns_due_pages_gets_one_mail(buergeramt_page, wiki_page, user, stand_in):
    own = add_page(
        buergeramt_page, ProcessPage(title="Eigene Seite", slug="eigene", purpose="x", content_owner=stand_in)
    )
    make_due(wiki_page)
    make_due(own)
    away(user, deputy=stand_in)
    call_command("notify_review_due", stdout=open("/dev/null", "w"))
    to_stand_in = [message for message in mail.outbox if message.to == [stand_in.email]]
    assert len(to_stand_in) == 1
    assert "Eigene Seite" in to_stand_in[0].body and "Meldebescheinigung ausstellen" in to_stand_in[0].body
    assert "2 Seiten" in to_stand_in[0].subject


@pytest.mark.django_db
def test_no_reminder_to_the_stand_in_of_a_present_owner(wiki_page, user, stand_in):
    make_due(wiki_page)
    Absence.objects.create(user=user, starts_on=until(2), ends_on=until(4), deputy=stand_in)  # not yet away
    call_command("notify_review_due", stdout=open("/dev/null", "w"))
    assert [message.to for message in mail.outbox] == [[user.email]]
