"""Who counts as having editor or administrator rights — decided here, used everywhere. The
check on the user alone (``has_elevated_rights``) lives in ``intranet.shared.permissions``, so the
search (below this app) can use it too."""

from intranet.shared.permissions import has_elevated_rights  # noqa: F401 - re-exported

# Group names shared by the wiki (Wagtail page permissions), the microblog (channel editors,
# official announcements) and the demo data.
CENTRAL_EDITORS_GROUP = "Redaktion"
CRISIS_TEAM_GROUP = "Krisenstab"


def department_editors_group_name(department) -> str:
    """The Wagtail group whose members edit and publish one department's section and channel."""
    return f"Redaktion {department.name}"
