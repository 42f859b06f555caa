"""Who counts as having editor or administrator rights — decided here, used everywhere."""


def has_elevated_rights(user) -> bool:
    """Editors and administrators: anyone who may enter the Wagtail admin or Django's admin."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))
