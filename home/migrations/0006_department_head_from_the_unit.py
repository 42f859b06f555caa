"""The department page's own "head of department" goes: the page shows the head and deputy head
of its unit (people.Department), which the directory sync keeps. A page's head is first copied to
its unit where the unit has none (and it is not the unit's deputy head)."""

from django.db import migrations


def heads_to_units(apps, schema_editor):
    DepartmentPage = apps.get_model("home", "DepartmentPage")
    Department = apps.get_model("people", "Department")
    for department_id, head_id in DepartmentPage.objects.filter(head__isnull=False).values_list(
        "department_id", "head_id"
    ):
        Department.objects.filter(pk=department_id, head__isnull=True).exclude(deputy_head_id=head_id).update(
            head_id=head_id
        )


def units_to_heads(apps, schema_editor):
    DepartmentPage = apps.get_model("home", "DepartmentPage")
    for page in DepartmentPage.objects.select_related("department"):
        if page.department.head_id is not None:
            DepartmentPage.objects.filter(pk=page.pk).update(head_id=page.department.head_id)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_department_collections"),
        ("people", "0006_department_hierarchy"),
    ]

    operations = [
        migrations.RunPython(heads_to_units, units_to_heads),
        migrations.RemoveField(model_name="departmentpage", name="head"),
    ]
