"""Who counts as having editor or administrator rights — decided here, used everywhere."""


def has_elevated_rights(user) -> bool:
    """Editors and administrators: anyone who may enter the Wagtail admin or Django's admin."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))


# Group names shared by the wiki (Wagtail page permissions), the microblog (channel editors,
# official announcements) and the demo data.
CENTRAL_EDITORS_GROUP = "Redaktion"
CRISIS_TEAM_GROUP = "Krisenstab"


def department_editors_group_name(department) -> str:
    """The Wagtail group whose members edit and publish one department's section and channel."""
    return f"Redaktion {department.name}"
