"""Every account has a profile from now on (people.models.StaffManager, the Wagtail admin's
"after_create_user" hook, single sign-on). This creates the profiles that accounts made before
lacked, so they appear in the staff directory and under /api/v1/people/<username>. Service
accounts (intranet.ServiceAccount, machines) stay without one. The new profiles reach the search
index with the next `manage.py update_index`."""

from django.db import migrations

# A frozen copy of people.models.fold_for_search (a migration must not change when the model
# code does): the directory's search text of a profile that holds only the account's names.
_SPELT_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "é": "e"}
)


def _search_text(user) -> str:
    folded = " | ".join(part for part in (user.first_name, user.last_name, user.username) if part).casefold()
    spelt_out = folded.translate(_SPELT_OUT)
    return folded if spelt_out == folded else f"{folded} || {spelt_out}"


def create_missing_profiles(apps, schema_editor):
    User = apps.get_model("people", "User")
    Profile = apps.get_model("people", "Profile")
    ServiceAccount = apps.get_model("intranet", "ServiceAccount")
    db = schema_editor.connection.alias
    without_profile = list(
        User.objects.using(db)
        .filter(profile__isnull=True)
        .exclude(pk__in=ServiceAccount.objects.using(db).values("user_id"))
        .only("pk", "first_name", "last_name", "username")
        .order_by("pk")
    )
    Profile.objects.using(db).bulk_create(
        [Profile(user_id=user.pk, search_text=_search_text(user)) for user in without_profile], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_profile_search_text"),
        # For intranet.ServiceAccount (its first migration depends only on the user model's first).
        ("intranet", "0001_api_tokens"),
    ]

    operations = [
        # StaffManager is not used in migrations (use_in_migrations = False).
        migrations.AlterModelManagers(name="user", managers=[]),
        migrations.RunPython(create_missing_profiles, migrations.RunPython.noop, elidable=True),
    ]
