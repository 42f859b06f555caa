from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    from people.models import fold_for_search

    Profile = apps.get_model("people", "Profile")
    for profile in Profile.objects.select_related("user", "department").iterator():
        tags = [t.tag.name for t in profile.tagged_expertise.select_related("tag")]
        department = profile.department
        parts = [
            profile.user.first_name,
            profile.user.last_name,
            profile.user.username,
            profile.job_title,
            profile.responsibilities,
            profile.languages,
            department.name if department else "",
            department.short_name if department else "",
            *tags,
        ]
        profile.search_text = fold_for_search(" | ".join(p for p in parts if p))
        profile.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("people", "0003_profile_directory_fields")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
