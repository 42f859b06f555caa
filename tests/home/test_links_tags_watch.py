"""Links between pages ("Wird verlinkt von", broken-link report), topics, watching, history, print."""

import pytest
from django.test import Client

from home.models import PageLink, PageWatch, WikiPage
from people.models import Notification
from tests.conftest import make_user, sign_in
from tests.home.conftest import add_page, publish, rich


def page_link_body(target, text="Siehe auch"):
    return [("paragraph", f'<p>{text}: <a linktype="page" id="{target.pk}">{target.title}</a></p>')]


@pytest.fixture
def linking_page(buergeramt_page, wiki_page):
    return add_page(
        buergeramt_page,
        WikiPage(
            title="Vertretungsplan",
            slug="vertretungsplan",
            body=[*page_link_body(wiki_page), ("page_link", {"page": wiki_page, "text": ""})],
        ),
    )


# --- links -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_publishing_records_links_and_target_lists_linking_pages(user_client, linking_page, wiki_page):
    assert list(PageLink.objects.filter(source=linking_page).values_list("target_id", flat=True)) == [wiki_page.pk]
    html = user_client.get(wiki_page.url).content.decode()
    assert "Wird verlinkt von" in html and "Vertretungsplan" in html


@pytest.mark.django_db
def test_removing_a_link_removes_the_backlink(user_client, linking_page, wiki_page):
    linking_page.body = rich("Kein Link mehr")
    publish(linking_page)
    assert not PageLink.objects.filter(source=linking_page).exists()
    assert "Vertretungsplan" not in user_client.get(wiki_page.url).content.decode()


@pytest.mark.django_db
def test_broken_link_report_lists_links_to_deleted_and_unpublished_pages(
    admin_client, user_client, linking_page, wiki_page, process_page
):
    other = add_page(
        wiki_page.get_parent(), WikiPage(title="Linkt auf Verfahren", slug="linkt", body=page_link_body(process_page))
    )
    assert "Keine defekten Links" in admin_client.get("/wiki/defekte-links/").content.decode()

    wiki_page.delete()
    process_page.unpublish()
    html = admin_client.get("/wiki/defekte-links/").content.decode()
    assert "Vertretungsplan" in html and "gelöschte Seite" in html
    assert other.title in html and "nicht veröffentlicht" in html
    assert user_client.get("/wiki/defekte-links/").status_code == 403


@pytest.mark.django_db
def test_broken_link_report_is_in_the_wagtail_reports_menu(admin_client):
    assert "/wiki/defekte-links/" in admin_client.get("/admin/").content.decode()


# --- tags ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_tag_page_lists_pages_with_the_tag(user_client, wiki_page, process_page):
    wiki_page.tags.add("Meldewesen")
    publish(wiki_page)
    response = user_client.get("/themen/meldewesen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thema: Meldewesen" in html and "Meldebescheinigung ausstellen" in html
    assert "Wohnsitz anmelden" not in html
    assert "Meldewesen" in user_client.get("/themen/").content.decode()
    assert user_client.get("/themen/gibt-es-nicht/").status_code == 404


@pytest.mark.django_db
def test_page_shows_its_topics_linked_to_the_tag_page(user_client, wiki_page):
    wiki_page.tags.add("Meldewesen")
    publish(wiki_page)
    assert 'href="/themen/meldewesen/"' in user_client.get(wiki_page.url).content.decode()


@pytest.mark.django_db
def test_tag_page_query_count_does_not_grow_with_pages(user_client, buergeramt_page, django_assert_max_num_queries):
    for number in range(8):
        page = add_page(buergeramt_page, WikiPage(title=f"Seite {number}", slug=f"seite-{number}", body=rich("x")))
        page.tags.add("Formulare")
        publish(page)
    user_client.get("/themen/formulare/")  # warm caches (site root, content types)
    # session, user, profile, tag, restrictions, site root, pages with owners, plus the microblog's slot
    with django_assert_max_num_queries(14) as captured:
        response = user_client.get("/themen/formulare/")
    assert response.content.decode().count("Seite ") >= 8
    few = len(captured)
    for number in range(8, 12):
        page = add_page(buergeramt_page, WikiPage(title=f"Seite {number}", slug=f"seite-{number}", body=rich("x")))
        page.tags.add("Formulare")
        publish(page)
    with django_assert_max_num_queries(few):
        user_client.get("/themen/formulare/")


# --- watching --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_watcher_of_a_page_is_notified_once_per_page_while_unread(user_client, user, wiki_page, central_editor):
    assert user_client.post(f"/wiki/seite/{wiki_page.pk}/beobachten/", {"action": "watch"}).status_code == 302
    assert PageWatch.objects.filter(user=user, page=wiki_page).exists()
    assert "Nicht mehr beobachten" in user_client.get(wiki_page.url).content.decode()

    publish(wiki_page, central_editor)
    publish(wiki_page, central_editor)
    notification = Notification.objects.get(recipient=user)
    assert notification.kind == Notification.Kind.PAGE_PUBLISHED
    assert notification.count == 2 and notification.actor == central_editor
    assert notification.url == wiki_page.url and "Meldebescheinigung" in notification.verb


@pytest.mark.django_db
def test_watching_a_section_covers_the_pages_below_it(user, buergeramt_page, wiki_page, central_editor):
    sign_in(Client(), user)
    from home import actions

    actions.watch_page(user=user, page=buergeramt_page)
    child = add_page(wiki_page, WikiPage(title="Neue Unterseite", slug="neu", body=rich("x")), central_editor)
    assert Notification.objects.filter(recipient=user, bundle_key=f"page:{child.pk}").exists()


@pytest.mark.django_db
def test_own_publications_and_invisible_pages_do_not_notify(user, wiki_page):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from home import actions

    actions.watch_page(user=user, page=wiki_page)
    publish(wiki_page, user)
    assert not Notification.objects.exists()
    restriction = PageViewRestriction.objects.create(page=wiki_page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Personalrat"))
    publish(wiki_page, make_user("someone.else"))
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_unwatch_and_watched_list(user_client, user, wiki_page):
    user_client.post(f"/wiki/seite/{wiki_page.pk}/beobachten/", {"action": "watch"})
    assert "Meldebescheinigung ausstellen" in user_client.get("/wiki/beobachtet/").content.decode()
    user_client.post(f"/wiki/seite/{wiki_page.pk}/beobachten/", {"action": "unwatch", "next": "watched"})
    assert not PageWatch.objects.filter(user=user).exists()
    assert user_client.get(f"/wiki/seite/{wiki_page.pk}/beobachten/").status_code == 405


# --- history ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_readers_see_last_change_and_a_diff_between_published_versions(user_client, wiki_page, central_editor):
    wiki_page.body = rich("Neues Vorgehen ab Januar")
    publish(wiki_page, central_editor)
    html = user_client.get(wiki_page.url).content.decode()
    assert "Zuletzt geändert" in html and "Ulrike Friedrich" in html

    history = user_client.get(f"/wiki/seite/{wiki_page.pk}/versionen/").content.decode()
    assert history.count("Mit vorheriger Version vergleichen") == 1
    from wagtail.models import PageLogEntry

    latest = PageLogEntry.objects.filter(page=wiki_page, action="wagtail.publish").order_by("-timestamp").first()
    diff = user_client.get(f"/wiki/seite/{wiki_page.pk}/versionen/{latest.pk}/").content.decode()
    assert "<ins>" in diff and "Neues Vorgehen ab Januar" in diff
    assert "<del>" in diff and "Vorgehen im Bürgerbüro" in diff


@pytest.mark.django_db
def test_editors_reach_wagtail_history_to_revert(wiki_page, central_editor):
    client = Client()
    sign_in(client, central_editor)
    html = client.get(f"/wiki/seite/{wiki_page.pk}/versionen/").content.decode()
    assert f"/admin/pages/{wiki_page.pk}/history/" in html
    assert client.get(f"/admin/pages/{wiki_page.pk}/history/").status_code == 200
    revision = wiki_page.revisions.order_by("pk").first()
    assert client.get(f"/admin/pages/{wiki_page.pk}/revisions/{revision.pk}/revert/").status_code == 200


# --- print -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_pages_carry_a_print_stylesheet_and_print_footer_with_the_address(user_client, wiki_page):
    html = user_client.get(wiki_page.url).content.decode()
    assert 'href="/static/home/print.css" media="print"' in html
    assert f"http://testserver{wiki_page.url}" in html
    assert "Verantwortlich" in html


@pytest.mark.django_db
def test_profile_lists_the_pages_the_person_owns(user_client, user, wiki_page):
    html = user_client.get(f"/personen/{user.username}/").content.decode()
    assert "Verantwortlich für diese Seiten" in html and "Meldebescheinigung ausstellen" in html
