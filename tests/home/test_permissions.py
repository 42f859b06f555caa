"""Who may edit which section, and who may see restricted pages — everywhere they could show up."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Page, PageViewRestriction, WorkflowState

from home import actions
from home.models import WikiPage
from home.permissions import can_view_page, visible_pages
from tests.conftest import make_user, sign_in
from tests.home.conftest import add_page, edit_data, rich


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def bauamt_wiki(bauamt_page):
    return add_page(bauamt_page, WikiPage(title="Bauantrag prüfen", slug="bauantrag", body=rich("Checkliste")))


@pytest.mark.django_db
def test_bauamt_editor_edits_bauamt_pages_but_not_buergeramt_pages(bauamt_editor, bauamt_wiki, wiki_page):
    client = client_for(bauamt_editor)
    assert client.get(f"/admin/pages/{bauamt_wiki.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{wiki_page.pk}/edit/").status_code in (302, 403)

    response = client.post(f"/admin/pages/{wiki_page.pk}/edit/", edit_data(wiki_page, title="Übernommen"))
    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=wiki_page.pk).draft_title == "Meldebescheinigung ausstellen"
    assert client.get(f"/admin/pages/add/home/wikipage/{wiki_page.get_parent().pk}/").status_code in (302, 403)


@pytest.mark.django_db
def test_bauamt_editor_publishes_in_own_section_without_moderation(bauamt_editor, bauamt_wiki):
    client = client_for(bauamt_editor)
    response = client.post(
        f"/admin/pages/{bauamt_wiki.pk}/edit/",
        edit_data(bauamt_wiki, title="Bauantrag prüfen (neu)", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    bauamt_wiki.refresh_from_db()
    assert bauamt_wiki.title == "Bauantrag prüfen (neu)" and bauamt_wiki.live


@pytest.mark.django_db
def test_central_editors_edit_every_section(central_editor, bauamt_page, bauamt_wiki, wiki_page):
    client = client_for(central_editor)
    for page in (bauamt_wiki, wiki_page, bauamt_page):
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_staff_without_editor_group_cannot_enter_the_admin(user_client, wiki_page):
    assert user_client.get(f"/admin/pages/{wiki_page.pk}/edit/").status_code in (302, 403)


@pytest.mark.django_db
def test_with_moderation_switched_on_department_editors_submit_and_redaktion_approves(
    bauamt_editor, central_editor, bauamt_page, bauamt_wiki
):
    bauamt_page.moderation_enabled = True
    bauamt_page.save_revision().publish()
    client = client_for(bauamt_editor)

    # Publishing directly is refused: the page stays as it was.
    client.post(
        f"/admin/pages/{bauamt_wiki.pk}/edit/", edit_data(bauamt_wiki, title="Direkt", **{"action-publish": "1"})
    )
    assert WikiPage.objects.get(pk=bauamt_wiki.pk).title == "Bauantrag prüfen"

    response = client.post(
        f"/admin/pages/{bauamt_wiki.pk}/edit/", edit_data(bauamt_wiki, title="Zur Freigabe", **{"action-submit": "1"})
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(bauamt_wiki.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert WikiPage.objects.get(pk=bauamt_wiki.pk).title == "Bauantrag prüfen"  # not yet live

    task_state = state.current_task_state
    approve = client_for(central_editor).post(
        f"/admin/pages/workflow/action/{bauamt_wiki.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert approve.status_code in (200, 302)
    assert WikiPage.objects.get(pk=bauamt_wiki.pk).title == "Zur Freigabe"


@pytest.mark.django_db
def test_switching_moderation_off_gives_publishing_back(bauamt_editor, bauamt_page, bauamt_wiki):
    bauamt_page.moderation_enabled = True
    bauamt_page.save_revision().publish()
    assert not bauamt_wiki.permissions_for_user(type(bauamt_editor).objects.get(pk=bauamt_editor.pk)).can_publish()
    bauamt_page.moderation_enabled = False
    bauamt_page.save_revision().publish()
    # a fresh user object: Wagtail caches permissions on the instance
    assert bauamt_wiki.permissions_for_user(type(bauamt_editor).objects.get(pk=bauamt_editor.pk)).can_publish()
    assert bauamt_wiki.get_workflow() is None


# --- restricted pages -------------------------------------------------------------------------
@pytest.fixture
def personalrat(db):
    return Group.objects.create(name="Personalrat")


@pytest.fixture
def restricted_page(buergeramt_page, personalrat, user):
    page = add_page(
        buergeramt_page,
        WikiPage(
            title="Dienstvereinbarung Entwurf", slug="dienstvereinbarung", body=rich("vertraulich"), content_owner=user
        ),
    )
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(personalrat)
    page.tags.add("Personal")
    page.save_revision().publish()
    return page


@pytest.fixture
def member(personalrat, department):
    user = make_user("claudia.werner", department=department)
    user.groups.add(personalrat)
    return user


@pytest.mark.django_db
def test_restricted_page_is_invisible_to_non_members_everywhere(
    restricted_page, buergeramt_page, other_user, wiki_page
):
    child = add_page(restricted_page, WikiPage(title="Anlage zur Vereinbarung", slug="anlage", body=rich("x")))
    wiki_page.body = [("paragraph", f'<p><a linktype="page" id="{wiki_page.pk}">self</a></p>')]
    add_page(
        wiki_page,
        WikiPage(
            title="Verweis",
            slug="verweis",
            body=[("paragraph", f'<p><a linktype="page" id="{restricted_page.pk}">x</a></p>')],
        ),
    )
    wiki_page.tags.add("Personal")
    wiki_page.save_revision().publish()
    client = client_for(other_user)

    assert not can_view_page(other_user, restricted_page)
    assert not can_view_page(other_user, child)
    assert not visible_pages(other_user).filter(pk__in=[restricted_page.pk, child.pk]).exists()
    assert client.get(restricted_page.url).status_code == 404  # not "forbidden": it does not exist for them
    assert client.get(child.url).status_code == 404
    for url in [
        buergeramt_page.url,
        "/",
        "/themen/personal/",
        "/themen/",
        f"/personen/{restricted_page.content_owner.username}/",
    ]:
        html = client.get(url).content.decode()
        assert "Dienstvereinbarung" not in html, url
        assert "Anlage zur Vereinbarung" not in html, url
    assert "Meldebescheinigung" in client.get("/themen/personal/").content.decode()
    assert [(tag.name, tag.page_count) for tag in client.get("/themen/").context["tags"]] == [("Personal", 1)]
    assert client.post(f"/wiki/seite/{restricted_page.pk}/beobachten/").status_code == 404
    assert client.get(f"/wiki/seite/{restricted_page.pk}/versionen/").status_code == 404


@pytest.mark.django_db
def test_restricted_page_is_visible_to_members(restricted_page, buergeramt_page, member):
    client = client_for(member)
    assert can_view_page(member, restricted_page)
    assert client.get(restricted_page.url).status_code == 200
    assert "Dienstvereinbarung" in client.get(buergeramt_page.url).content.decode()
    assert "Dienstvereinbarung" in client.get("/themen/personal/").content.decode()


@pytest.mark.django_db
def test_login_restriction_counts_as_visible_for_staff_but_drafts_do_not(buergeramt_page, user, wiki_page):
    PageViewRestriction.objects.create(page=wiki_page, restriction_type=PageViewRestriction.LOGIN)
    assert can_view_page(user, wiki_page)
    draft = buergeramt_page.add_child(instance=WikiPage(title="Entwurf", slug="entwurf", live=False))
    assert not can_view_page(user, draft)
    assert not visible_pages(user).filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_superusers_see_restricted_pages(restricted_page, admin_user):
    assert can_view_page(admin_user, restricted_page)


@pytest.mark.django_db
def test_visible_pages_costs_at_most_two_queries(restricted_page, other_user, django_assert_num_queries):
    # 1: the view restrictions with their page paths; 2: which group restrictions the user passes
    with django_assert_num_queries(2):
        pages = visible_pages(other_user)
    with django_assert_num_queries(1):
        list(pages)


@pytest.mark.django_db
def test_department_group_gets_only_its_section(bauamt_page, buergeramt_page):
    group = actions.sync_department_permissions(department_page=bauamt_page)
    pages = set(group.page_permissions.values_list("page_id", flat=True))
    assert pages == {bauamt_page.pk}
    assert group.name == "Redaktion Bauamt"
