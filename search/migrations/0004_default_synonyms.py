"""The default list of "Synonyme und Abkürzungen" (search/synonyms_default.tsv, reviewable there),
loaded once; afterwards the editors maintain it in the admin. Also gives the central editorial
team (group "Redaktion", if it exists already; home.actions.ensure_central_editors_group gives it
to a new one) the right to edit the list."""

from pathlib import Path

from django.db import migrations

DEFAULT_LIST = Path(__file__).resolve().parent.parent / "synonyms_default.tsv"
PERMISSIONS = ("add_synonym", "change_synonym", "delete_synonym")


def default_entries() -> list[str]:
    entries = []
    for line in DEFAULT_LIST.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("terms\t"):
            continue
        entries.append(line.split("\t")[0].strip())
    return entries


def load(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.bulk_create(Synonym(terms=terms) for terms in default_entries())
    group = apps.get_model("auth", "Group").objects.filter(name="Redaktion").first()
    if group is None:
        return
    # The permissions are created after all migrations (post_migrate); this one needs them now.
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="search", codename__in=PERMISSIONS))


def unload(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(terms__in=default_entries()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_synonym"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, unload)]
