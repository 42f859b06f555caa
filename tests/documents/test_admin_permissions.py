"""Who may do what with documents and images in Wagtail's admin, across departments: each
department's editors work in their department's collection only; nobody but a superuser reaches
into a collection they may not see (the Personalrat's minutes), however rights were granted. All
through the admin's HTTP views: the edit form, the bulk "add to collection" action, the chooser,
the listing and the upload form."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from documents import samples
from home import actions
from home.models import DepartmentPage
from people.models import Department
from tests.conftest import make_group_member, make_user, sign_in
from tests.home.conftest import add_page

from .conftest import add_document

pytestmark = pytest.mark.django_db
Document = get_document_model()
Image = get_image_model()


def signed_in(user) -> Client:
    """A client signed in as ``user``, past the second factor where the site asks for one.
    (The one place that signs in; adapt it when signing in changes.)"""
    return sign_in(Client(), user)


class City:
    pass


def collection_named(root, name):
    return root.get_children().filter(name=name).first() or root.add_child(name=name)


def grant(group, collection):
    """The document and image rights the editor groups get, on ``collection``."""
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, codename in actions.EDITOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )


@pytest.fixture
def city(home_page, department, django_capture_on_commit_callbacks):
    """Bauamt and Bürgeramt with their sections, editor groups and editors; the Redaktion; the
    Personalrat's restricted collection with its minutes; one document in each department's
    collection."""
    capture = django_capture_on_commit_callbacks
    c = City()
    c.buergeramt = department
    c.bauamt = Department.objects.create(name="Bauamt", short_name="BauA")
    c.bauamt_group = actions.sync_department_permissions(
        department_page=add_page(home_page, DepartmentPage(title="Bauamt", slug="bauamt", department=c.bauamt))
    )
    c.buergeramt_group = actions.sync_department_permissions(
        department_page=add_page(
            home_page, DepartmentPage(title="Bürgeramt", slug="buergeramt", department=c.buergeramt)
        )
    )
    c.bauamt_editor = make_group_member("klaus.hoffmann", c.bauamt_group, department=c.bauamt)
    c.buergeramt_editor = make_group_member("thomas.wagner", c.buergeramt_group, department=c.buergeramt)
    c.central_editor = make_group_member("ulrike.friedrich", actions.ensure_central_editors_group())
    c.council_member = make_user("claudia.werner")
    c.reader = make_user("anna.schmidt", department=c.buergeramt)

    root = Collection.get_first_root_node()
    c.root = root
    # made by sync_department_permissions; looked up or added here so the tests also run against
    # the setup before the fix (rights on the root) and show what it let through
    c.bauamt_collection = collection_named(root, "Bauamt")
    c.buergeramt_collection = collection_named(root, "Bürgeramt")
    c.council = root.add_child(name="Personalrat")
    council_group = Group.objects.create(name="Personalrat")
    council_group.user_set.add(c.council_member)
    restriction = CollectionViewRestriction.objects.create(
        collection=c.council, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(council_group)

    c.minutes = add_document(
        capture,
        "Protokoll Personalratssitzung",
        samples.odt_bytes(["Vertraulich: Anhörung zu Höhergruppierungen."]),
        "protokoll.odt",
        collection=c.council,
    )
    c.building_plan = add_document(
        capture,
        "Bebauungsplan Nord",
        b"Bebauungsplan Nord, Entwurf",
        "bebauungsplan.txt",
        collection=c.bauamt_collection,
    )
    c.fees = add_document(
        capture,
        "Gebuehren Buergeramt",
        b"Meldebescheinigung 10 Euro",
        "gebuehren.txt",
        collection=c.buergeramt_collection,
    )
    return c


def edit_data(document, **overrides) -> dict:
    data = {"title": document.title, "collection": document.collection_id, "tags": ""}
    data.update(overrides)
    return data


def denied(response) -> bool:
    """Wagtail's admin answers a refused view with a redirect to its dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def download(client, document):
    return client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]))


# --- the edit form ---------------------------------------------------------------------------
def test_department_editor_cannot_make_the_personalrat_minutes_public(city):
    """The probe's report: an editor of the Bauamt posts the minutes' edit form with the root
    collection. Refused; the minutes stay where only the Personalrat sees them."""
    client = signed_in(city.bauamt_editor)
    edit_url = reverse("wagtaildocs:edit", args=[city.minutes.pk])

    assert denied(client.get(edit_url))
    assert denied(client.post(edit_url, edit_data(city.minutes, collection=city.root.pk)))

    city.minutes.refresh_from_db()
    assert city.minutes.collection == city.council
    assert download(signed_in(city.reader), city.minutes).status_code != 200


def test_department_editor_cannot_edit_another_departments_document(city):
    client = signed_in(city.bauamt_editor)
    edit_url = reverse("wagtaildocs:edit", args=[city.fees.pk])

    assert denied(client.get(edit_url))
    assert denied(client.post(edit_url, edit_data(city.fees, title="Umbenannt", collection=city.bauamt_collection.pk)))

    city.fees.refresh_from_db()
    assert (city.fees.title, city.fees.collection) == ("Gebuehren Buergeramt", city.buergeramt_collection)


def test_department_editor_edits_in_their_own_collection(city):
    client = signed_in(city.bauamt_editor)
    response = client.post(
        reverse("wagtaildocs:edit", args=[city.building_plan.pk]),
        edit_data(city.building_plan, title="Bebauungsplan Nord (2. Entwurf)"),
    )

    assert response.status_code == 302 and response.url != reverse("wagtailadmin_home")
    city.building_plan.refresh_from_db()
    assert city.building_plan.title == "Bebauungsplan Nord (2. Entwurf)"


@pytest.mark.parametrize("target", ["council", "buergeramt_collection", "root"])
def test_department_editor_cannot_move_a_document_out_of_their_collection(city, target):
    """Not into the Personalrat's collection (where its own department could no longer see it),
    not into another department's, not into the root. (With one collection to choose from, Wagtail's
    form has no collection field and ignores the posted one.)"""
    client = signed_in(city.bauamt_editor)
    client.post(
        reverse("wagtaildocs:edit", args=[city.building_plan.pk]),
        edit_data(city.building_plan, collection=getattr(city, target).pk),
    )

    city.building_plan.refresh_from_db()
    assert city.building_plan.collection == city.bauamt_collection


def test_central_editor_keeps_every_collection_but_the_restricted_ones(city):
    client = signed_in(city.central_editor)

    moved = client.post(
        reverse("wagtaildocs:edit", args=[city.fees.pk]), edit_data(city.fees, collection=city.bauamt_collection.pk)
    )
    assert moved.status_code == 302 and moved.url != reverse("wagtailadmin_home")
    city.fees.refresh_from_db()
    assert city.fees.collection == city.bauamt_collection

    assert denied(
        client.post(
            reverse("wagtaildocs:edit", args=[city.minutes.pk]), edit_data(city.minutes, collection=city.root.pk)
        )
    )
    into_council = client.post(
        reverse("wagtaildocs:edit", args=[city.fees.pk]), edit_data(city.fees, collection=city.council.pk)
    )
    assert into_council.status_code == 200
    city.fees.refresh_from_db()
    city.minutes.refresh_from_db()
    assert (city.fees.collection, city.minutes.collection) == (city.bauamt_collection, city.council)


def test_a_right_granted_on_the_restricted_collection_itself_needs_its_group(city):
    """A group with rights on the Personalrat's collection: only its members who may see the
    collection use them."""
    council_editors = Group.objects.create(name="Redaktion Personalrat")
    grant(council_editors, city.council)
    outsider = make_group_member("max.mustermann", council_editors)
    insider = make_group_member("tobias.hofmann", council_editors)
    Group.objects.get(name="Personalrat").user_set.add(insider)
    edit_url = reverse("wagtaildocs:edit", args=[city.minutes.pk])

    assert denied(signed_in(outsider).get(edit_url))
    assert signed_in(insider).get(edit_url).status_code == 200


# --- bulk "add to collection", listing, chooser, upload --------------------------------------
def bulk_move_url(*documents) -> str:
    url = reverse("wagtail_bulk_action", args=("documents", "intranetdocument", "add_to_collection"))
    return url + "?" + "&".join(f"id={document.pk}" for document in documents)


def test_bulk_move_leaves_documents_the_editor_may_not_change(city):
    client = signed_in(city.bauamt_editor)
    response = client.post(
        bulk_move_url(city.minutes, city.fees, city.building_plan), {"collection": city.bauamt_collection.pk}
    )

    assert response.status_code == 302
    for document in (city.minutes, city.fees):
        before = document.collection
        document.refresh_from_db()
        assert document.collection == before


def test_bulk_move_offers_no_collection_outside_the_editors_own(city):
    client = signed_in(city.bauamt_editor)
    response = client.post(bulk_move_url(city.building_plan), {"collection": city.council.pk})

    assert response.status_code == 200  # the form again: not a valid choice
    assert "Personalrat" not in response.content.decode()
    city.building_plan.refresh_from_db()
    assert city.building_plan.collection == city.bauamt_collection


def test_listing_and_chooser_show_only_the_editors_own_documents(city):
    client = signed_in(city.bauamt_editor)
    listing = client.get(reverse("wagtaildocs:index")).content.decode()
    chooser = client.get(reverse("wagtaildocs_chooser:choose")).content.decode()

    for page in (listing, chooser):
        assert "Bebauungsplan Nord" in page
        assert "Protokoll Personalratssitzung" not in page
        assert "Gebuehren Buergeramt" not in page


def test_chooser_never_shows_restricted_documents_to_the_central_editor(city):
    chooser = signed_in(city.central_editor).get(reverse("wagtaildocs_chooser:choose")).content.decode()

    assert "Gebuehren Buergeramt" in chooser and "Bebauungsplan Nord" in chooser
    assert "Protokoll Personalratssitzung" not in chooser


def test_department_editor_uploads_into_their_own_collection(city, django_capture_on_commit_callbacks):
    client = signed_in(city.bauamt_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtaildocs:add"),
            {"title": "Baumschutzsatzung", "file": SimpleUploadedFile("satzung.txt", b"Baumschutz"), "tags": ""},
        )

    assert response.status_code == 302 and response.url != reverse("wagtailadmin_home")
    assert Document.objects.get(title="Baumschutzsatzung").collection == city.bauamt_collection


def test_department_editor_cannot_upload_into_the_restricted_collection(city):
    client = signed_in(city.bauamt_editor)
    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Untergeschoben",
            "file": SimpleUploadedFile("x.txt", b"x"),
            "collection": city.council.pk,
            "tags": "",
        },
    )

    assert not Document.objects.filter(title="Untergeschoben", collection=city.council).exists()


# --- images ----------------------------------------------------------------------------------
def png() -> SimpleUploadedFile:
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (4, 4), "white").save(out, "PNG")
    return SimpleUploadedFile("bild.png", out.getvalue(), content_type="image/png")


def test_department_editor_manages_images_in_their_own_collection_only(city):
    theirs = Image.objects.create(title="Baustelle", file=png(), collection=city.bauamt_collection)
    others = Image.objects.create(title="Bürgerbüro", file=png(), collection=city.buergeramt_collection)
    client = signed_in(city.bauamt_editor)

    assert client.get(reverse("wagtailimages:edit", args=[theirs.pk])).status_code == 200
    assert denied(client.get(reverse("wagtailimages:edit", args=[others.pk])))
    chooser = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Baustelle" in chooser and "Bürgerbüro" not in chooser


# --- the editor groups' grants ---------------------------------------------------------------
def test_department_group_gets_rights_on_its_collection_only(city):
    grants = set(
        GroupCollectionPermission.objects.filter(group=city.bauamt_group).values_list(
            "collection__name", "permission__codename"
        )
    )
    assert grants == {("Bauamt", codename) for _app, codename in actions.EDITOR_COLLECTION_PERMISSIONS}


def test_setup_replaces_the_root_grants_of_earlier_versions(city):
    """Department groups were given their rights on the root collection; setting them up again
    (on publishing the section) moves them to the department's collection."""
    grant(city.bauamt_group, city.root)
    actions.sync_department_permissions(department_page=DepartmentPage.objects.get(department=city.bauamt))

    assert not GroupCollectionPermission.objects.filter(group=city.bauamt_group, collection=city.root).exists()
    assert denied(signed_in(city.bauamt_editor).get(reverse("wagtaildocs:edit", args=[city.minutes.pk])))


def test_migration_moves_existing_root_grants_to_department_collections(city):
    """The data migration for existing installations (home 0005), run on a database set up the
    old way: root grants, and the Bürgeramt's collection not yet there."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("home.migrations.0005_department_collections")
    city.fees.collection = city.root
    city.fees.save()
    Collection.objects.get(pk=city.buergeramt_collection.pk).delete()
    GroupCollectionPermission.objects.filter(group__in=[city.bauamt_group, city.buergeramt_group]).delete()
    for group in (city.bauamt_group, city.buergeramt_group):
        grant(group, city.root)

    migration.department_collections(apps, None)

    for group, name in ((city.bauamt_group, "Bauamt"), (city.buergeramt_group, "Bürgeramt")):
        grants = set(GroupCollectionPermission.objects.filter(group=group).values_list("collection__name", flat=True))
        assert grants == {name}
    new_collection = Collection.objects.get(name="Bürgeramt")
    assert new_collection.get_parent() == city.root and Collection.find_problems() == ([], [], [], [], [])
    assert denied(signed_in(city.bauamt_editor).get(reverse("wagtaildocs:edit", args=[city.minutes.pk])))
    assert denied(signed_in(city.buergeramt_editor).get(reverse("wagtaildocs:edit", args=[city.fees.pk])))
