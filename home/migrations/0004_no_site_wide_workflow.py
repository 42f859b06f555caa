from django.db import migrations


def remove_site_wide_workflow(apps, schema_editor):
    """Wagtail assigns its "Moderators approval" workflow to the whole tree on install. Here each
    department switches editorial approval on or off for its own section (DepartmentPage), so the
    tree-wide assignment would force approval everywhere."""
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(page__depth=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_wiki_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_site_wide_workflow, migrations.RunPython.noop)]
