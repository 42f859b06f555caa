"""Who counts as an editor or administrator, for every app (the search statistics, the admin's
menus, the second-factor guard): a check on Django's user only."""


def has_elevated_rights(user) -> bool:
    """Editors and administrators: anyone who may enter the Wagtail admin or Django's admin."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))
