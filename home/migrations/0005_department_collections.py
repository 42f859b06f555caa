from django.db import migrations

# Frozen copies of what home.actions does today (a migration must not change with the code).
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]
TREE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail's Collection uses it
TREE_STEPLEN = 4


def _child_collection(Collection, root, name):
    """The collection ``name`` directly below ``root``, added as treebeard would (historical
    models have no tree methods)."""
    children = Collection.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    existing = children.filter(name=name).first()
    if existing is not None:
        return existing
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-TREE_STEPLEN:], 36) + 1 if last else 1
    step = ""
    for _ in range(TREE_STEPLEN):
        number, digit = divmod(number, len(TREE_ALPHABET))
        step = TREE_ALPHABET[digit] + step
    collection = Collection.objects.create(name=name, path=root.path + step, depth=root.depth + 1, numchild=0)
    Collection.objects.filter(pk=root.pk).update(numchild=children.count())
    return collection


def department_collections(apps, schema_editor):
    """Department editor groups ("Redaktion <Amt>") were given their document and image rights on
    the root collection, which reaches every collection (the Personalrat's too). They get them on
    their department's collection instead (named like the department, created when missing), as
    ``home.actions.sync_department_permissions`` does from now on. The central Redaktion keeps its
    rights on the root; the permission policy keeps it out of restricted collections."""
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    DepartmentPage = apps.get_model("home", "DepartmentPage")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    permissions = list(
        Permission.objects.filter(
            content_type__app_label__in={app for app, _codename in EDITOR_COLLECTION_PERMISSIONS},
            codename__in={codename for _app, codename in EDITOR_COLLECTION_PERMISSIONS},
        )
    )
    if root is None or not permissions:
        return  # a new database: nothing was granted yet
    for department_page in DepartmentPage.objects.select_related("department"):
        department = department_page.department
        group = Group.objects.filter(name=f"Redaktion {department.name}").first()
        if group is None:
            continue
        collection = _child_collection(Collection, root, department.name)
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
        GroupCollectionPermission.objects.filter(group=group, collection=root).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_no_site_wide_workflow"),
        ("people", "0004_profile_search_text"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(department_collections, migrations.RunPython.noop)]
