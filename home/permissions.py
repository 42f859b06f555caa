"""Who may see and edit wiki pages — decided here, used by menus, lists, tag pages, backlinks,
search, feeds and the API alike.

A page is visible when it is live and no view restriction on it or an ancestor excludes the user:
- "login" restrictions: every signed-in member of staff passes;
- "groups" restrictions (e.g. Personalrat): members of one of the groups and superusers pass;
- "password" restrictions: never listed (the password is entered per browser session).
Editing is Wagtail's page permissions (per-department editor groups, the central Redaktion)."""

from django.contrib.auth.models import Group
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

# the request's memory of what a user may see (re-exported: the wiki's callers use it from here)
from intranet.shared.permissions import remember_for_request as remember_for_request
from intranet.shared.permissions import remembered
from people.permissions import CENTRAL_EDITORS_GROUP, department_editors_group_name


def _failed_restriction_paths(user) -> list[str]:
    """Tree paths of the restricted pages the user may not see (1 query, 2 with group restrictions)."""
    return remembered(user, "failed_paths", lambda: _compute_failed_restriction_paths(user))


def _compute_failed_restriction_paths(user) -> list[str]:
    return failed_view_restriction_paths(user, PageViewRestriction, "page__path")


def failed_view_restriction_paths(user, restriction_model, path_lookup: str) -> list[str]:
    """Tree paths of the objects restricted by ``restriction_model`` (Wagtail's page or collection
    view restrictions) that the user may not see, by the rules above (1 query, 2 with group
    restrictions). ``path_lookup``: the restricted object's tree path (``"page__path"``)."""
    restrictions = list(restriction_model.objects.values_list("pk", "restriction_type", path_lookup))
    if not restrictions or getattr(user, "is_superuser", False):
        return []
    authenticated = bool(getattr(user, "is_authenticated", False))
    passed_groups = set()
    if authenticated and any(kind == restriction_model.GROUPS for _, kind, _ in restrictions):
        passed_groups = set(
            restriction_model.groups.through.objects.filter(group__user=user).values_list(
                f"{restriction_model._meta.model_name}_id", flat=True
            )
        )
    failed = []
    for pk, kind, path in restrictions:
        if kind == restriction_model.NONE:
            continue
        if kind == restriction_model.LOGIN and authenticated:
            continue
        if kind == restriction_model.GROUPS and pk in passed_groups:
            continue
        failed.append(path)
    return failed


def exclude_paths(queryset, paths: list[str]):
    """``queryset`` (of tree nodes: pages, collections) without the nodes at or below ``paths``."""
    if not paths:
        return queryset
    excluded = Q()
    for path in paths:
        excluded |= Q(path__startswith=path)
    return queryset.exclude(excluded)


def visible_pages(user, pages=None):
    """Every page the user may see: live and not under a view restriction they fail.
    Returns a lazy Page queryset; narrow it with `.type(...)`, `.descendant_of(...)`, filters.
    ``pages``: a page type's manager or queryset to start from (``ContentPage.objects``) instead of
    ``Page.objects``, so the rule applies to that type's own queryset (no ``pk__in`` subquery)."""
    pages = (Page.objects if pages is None else pages).live()
    return exclude_paths(pages, _failed_restriction_paths(user))


def can_view_page(user, page) -> bool:
    """Whether the user may see this one page (live, and every view restriction on it passed)."""
    if not page.live:
        return False
    failed = _failed_restriction_paths(user)
    return not any(page.path.startswith(path) for path in failed)


def fails_group_restriction(user, page) -> bool:
    """A signed-in user who is not in the groups a page is restricted to (served as "not found")."""
    if not user.is_authenticated or user.is_superuser:
        return False
    restrictions = page.get_view_restrictions().filter(restriction_type=PageViewRestriction.GROUPS)
    user_groups = set(user.groups.values_list("pk", flat=True))
    for restriction in restrictions.prefetch_related("groups"):
        if not user_groups & {group.pk for group in restriction.groups.all()}:
            return True
    return False


def can_edit_page(user, page) -> bool:
    if not user.is_authenticated:
        return False
    return page.permissions_for_user(user).can_edit()


def can_publish_page(user, page) -> bool:
    if not user.is_authenticated:
        return False
    return page.permissions_for_user(user).can_publish()


def is_central_editor(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=CENTRAL_EDITORS_GROUP).exists())


def editor_group_for(department) -> Group | None:
    return Group.objects.filter(name=department_editors_group_name(department)).first()
