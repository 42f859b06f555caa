"""Mandatory reading of official announcements: the channel's editors set it on the post, staff
confirm it on the post, it is logged (issue 15, point 1)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from home.models import ReadingConfirmation, ReadingRequirement
from posts import actions
from tests.posts.conftest import post_in


@pytest.fixture
def announcement(channel, dept_editor):
    post = post_in(channel, dept_editor, text="Neue Öffnungszeiten ab 1. März")
    actions.set_official(post=post, user=dept_editor, official=True)
    return post


@pytest.mark.django_db
def test_an_editor_makes_an_official_post_mandatory_and_staff_confirm_it(
    announcement, dept_editor, department, user, outsider, client_for
):
    editor = client_for(dept_editor)
    detail = editor.get(announcement.get_absolute_url())
    assert f"/beitraege/{announcement.pk}/pflichtlektuere/" in detail.content.decode()
    due = timezone.localdate() + datetime.timedelta(days=5)
    response = editor.post(
        f"/beitraege/{announcement.pk}/pflichtlektuere/",
        {"required": "on", "departments": [department.pk], "due_date": due.isoformat()},
    )
    assert response.status_code == 302
    requirement = ReadingRequirement.objects.get(object_id=announcement.pk)
    assert requirement.is_active and requirement.due_date == due and requirement.owner == dept_editor
    assert ModelLogEntry.objects.filter(object_id=str(announcement.pk), action="home.reading_set").exists()

    staff = client_for(user)
    assert [item.object_id for item in staff.get("/zu-lesen/").context["items"]] == [announcement.pk]
    assert staff.get(announcement.get_absolute_url()).context["reading"].asks_me
    staff.post(f"/zu-lesen/{requirement.pk}/gelesen/")
    assert ReadingConfirmation.objects.filter(user=user).exists()
    assert client_for(outsider).get(announcement.get_absolute_url()).context["reading"] is None

    # the author sees the counts
    counts = editor.get(f"/zu-lesen/{requirement.pk}/stand/").context["counts"]
    assert [(row.name, row.confirmed) for row in counts] == [("Bürgeramt", 1)]

    # a substantial change asks again
    editor.post(
        f"/beitraege/{announcement.pk}/pflichtlektuere/",
        {"required": "on", "departments": [department.pk], "new_version": "on"},
    )
    assert ReadingRequirement.objects.get(object_id=announcement.pk).version == 2
    assert len(staff.get("/zu-lesen/").context["items"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"required": "on"}, "required"),  # nobody chosen
        ({"required": "on", "all_staff": "on", "due_date": "2001-01-01"}, "due_date"),
        ({"required": "on", "all_staff": "on", "due_date": "morgen"}, "due_date"),
        ({"required": "on", "departments": ["999999"]}, "departments"),
        ({"required": "on", "groups": ["x"]}, "groups"),
    ],
)
def test_bad_mandatory_reading_of_a_post_is_refused_and_changes_nothing(
    announcement, dept_editor, client_for, data, field
):
    response = client_for(dept_editor).post(f"/beitraege/{announcement.pk}/pflichtlektuere/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ReadingRequirement.objects.exists()


@pytest.mark.django_db
def test_only_official_posts_and_only_their_editors(channel, dept_editor, user, announcement, client_for):
    plain = post_in(channel, dept_editor, text="Kein offizieller Beitrag")
    response = client_for(dept_editor).post(
        f"/beitraege/{plain.pk}/pflichtlektuere/", {"required": "on", "all_staff": "on"}
    )
    assert response.status_code == 400 and "required" in response.context["form"].errors
    assert client_for(user).get(f"/beitraege/{announcement.pk}/pflichtlektuere/").status_code == 403
    assert not ReadingRequirement.objects.exists()


@pytest.mark.django_db
def test_removing_the_official_mark_or_deleting_the_post_ends_it(announcement, dept_editor, user, client_for):
    actions.set_post_reading(post=announcement, user=dept_editor, required=True, all_staff=True)
    assert client_for(user).get("/zu-lesen/").context["items"]
    actions.set_official(post=announcement, user=dept_editor, official=False)
    assert client_for(user).get("/zu-lesen/").context["items"] == []
    actions.set_official(post=announcement, user=dept_editor, official=True)
    actions.set_post_reading(post=announcement, user=dept_editor, required=True, all_staff=True)
    actions.delete_post(post=announcement, user=dept_editor)
    assert client_for(user).get("/zu-lesen/").context["items"] == []
