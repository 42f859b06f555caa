"""Reads of mandatory reading (Pflichtlektüre) shared by the pages, the posts, the API and the
reminders: whom a requirement addresses, what a person still has to read, the counts per
department and — for a Dienstanweisung only — who has not confirmed.

Every list here is one query (two for the counts per department), whatever the number of
departments, requirements or confirmations (tests/home/test_reading.py asserts it)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from people.models import Department, Profile, User
from people.permissions import CENTRAL_EDITORS_GROUP, department_editors_group_name

from .models import ReadingConfirmation, ReadingRequirement, ReadingTally

RequirementDepartment = ReadingRequirement.departments.through
RequirementGroup = ReadingRequirement.groups.through
UserGroup = User.groups.through


def retention_cutoff(now=None) -> datetime.datetime:
    """Versions asked for before this moment are closed: their per-person records are deleted."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.ACKNOWLEDGEMENT_RETENTION_DAYS)


def _ancestors_of_users_unit_sql() -> str:
    """SQL of the ids of the unit a user (one parameter: the user's id) belongs to and of every
    unit above it: a requirement for a unit reaches its sub-units."""
    # The table names are the models' own, the user's id a query parameter: nothing from outside
    # (as Department.subtree_sql).
    sql = (
        "WITH RECURSIVE up(id, parent_id) AS (SELECT d.id, d.parent_id FROM {unit} d "
        "JOIN {profile} p ON p.department_id = d.id WHERE p.user_id = %s "
        "UNION SELECT d.id, d.parent_id FROM {unit} d JOIN up ON d.id = up.parent_id) SELECT id FROM up"
    )
    return sql.replace("{unit}", Department._meta.db_table).replace("{profile}", Profile._meta.db_table)


def _requirement_units_sql() -> str:
    """SQL of the ids of the units a requirement names (one parameter: its id) and of all their
    sub-units."""
    sql = (
        "WITH RECURSIVE subtree(id) AS (SELECT department_id FROM {chosen} WHERE readingrequirement_id = %s "
        "UNION SELECT unit.id FROM {unit} unit JOIN subtree ON unit.parent_id = subtree.id) SELECT id FROM subtree"
    )
    return sql.replace("{unit}", Department._meta.db_table).replace("{chosen}", RequirementDepartment._meta.db_table)


def _may_see_page_sql(page_id: str, user_id: str) -> str:
    """SQL: the user (column or parameter ``user_id``) passes every group view restriction on the
    page ``page_id`` and the pages above it. Login restrictions ask only for an account, which
    everyone asked has; password restrictions are switched off on this site. Plain SQL that runs
    on SQLite and PostgreSQL (``substr`` for "at or below")."""
    restriction = PageViewRestriction._meta.db_table
    chosen = PageViewRestriction.groups.through._meta.db_table
    return (
        f"NOT EXISTS (SELECT 1 FROM {restriction} r JOIN {Page._meta.db_table} rp ON rp.id = r.page_id "  # noqa: S608
        f"JOIN {Page._meta.db_table} p ON p.id = {page_id} "
        f"WHERE r.restriction_type = '{PageViewRestriction.GROUPS}' "
        "AND substr(p.path, 1, length(rp.path)) = rp.path "
        f"AND NOT EXISTS (SELECT 1 FROM {chosen} rg JOIN {UserGroup._meta.db_table} ug ON ug.group_id = rg.group_id "
        f"WHERE rg.pageviewrestriction_id = r.id AND ug.user_id = {user_id}))"
    )


def _page_type_id() -> int:
    return ContentType.objects.get_for_model(Page).pk


def addressed_to(user) -> Q:
    """The condition on ReadingRequirement: it asks `user` (whole administration, their unit or
    one above it, or one of their groups) and, for a page, `user` may see the page (a page
    restricted to a group asks only its members, whoever the editor named). No query of its own
    (the page content type is cached)."""
    in_unit = RequirementDepartment.objects.filter(
        readingrequirement_id=OuterRef("pk"),
        department_id__in=RawSQL(_ancestors_of_users_unit_sql(), [user.pk]),  # noqa: S611 — fixed SQL
    )
    in_group = RequirementGroup.objects.filter(
        readingrequirement_id=OuterRef("pk"),
        group_id__in=UserGroup.objects.filter(user_id=user.pk).values("group_id"),
    )
    asked = Q(all_staff=True) | Q(Exists(in_unit)) | Q(Exists(in_group))
    if user.is_superuser:
        return asked
    table = ReadingRequirement._meta.db_table
    # our table names; the user's id a parameter
    may_see = RawSQL(_may_see_page_sql(f'"{table}"."object_id"', "%s"), [user.pk], output_field=BooleanField())  # noqa: S611
    return asked & (~Q(content_type_id=_page_type_id()) | Q(may_see))


def open_requirements(now=None):
    """Requirements still asked for: active, and their version younger than the retention period."""
    return ReadingRequirement.objects.filter(is_active=True, version_since__gte=retention_cutoff(now))


def reading_list(*, user):
    """What `user` still has to confirm, the earliest due first: one query."""
    if not user.is_authenticated or not user.is_active:
        return ReadingRequirement.objects.none()
    confirmed = ReadingConfirmation.objects.filter(
        requirement=OuterRef("pk"), user_id=user.pk, version=OuterRef("version")
    )
    return (
        open_requirements()
        .filter(addressed_to(user))
        .exclude(Exists(confirmed))
        .order_by(F("due_date").asc(nulls_last=True), "-version_since", "-pk")
    )


def reading_count(*, user) -> int:
    """How many items the navigation's "Zu lesen" shows: one query."""
    return reading_list(user=user).order_by().count()


def target_key(obj) -> tuple[int, int]:
    """(content type id, object id) of a page (always the base Page type) or a post."""
    model = Page if isinstance(obj, Page) else type(obj)
    return ContentType.objects.get_for_model(model).pk, obj.pk


def requirement_for(obj) -> ReadingRequirement | None:
    """The requirement of a page or post, active or not (None if it never was mandatory reading)."""
    content_type_id, object_id = target_key(obj)
    return ReadingRequirement.objects.filter(content_type_id=content_type_id, object_id=object_id).first()


@dataclass
class Banner:
    requirement: ReadingRequirement
    asks_me: bool  # the requirement is open and asks the reader
    confirmed_at: datetime.datetime | None  # when the reader confirmed the current version
    may_see_counts: bool


def banner_for(*, user, obj) -> Banner | None:
    """What a page or post shows its reader about its mandatory reading: whether it asks them,
    whether they confirmed, whether they may open the counts. One query (and the reader's
    groups once per request for the counts' check); None when it is not mandatory reading or
    concerns the reader in neither way."""
    if not user.is_authenticated or not user.is_active:
        return None
    content_type_id, object_id = target_key(obj)
    confirmed = ReadingConfirmation.objects.filter(
        requirement=OuterRef("pk"), user_id=user.pk, version=OuterRef("version")
    ).values("confirmed_at")[:1]
    requirement = (
        ReadingRequirement.objects.filter(content_type_id=content_type_id, object_id=object_id, is_active=True)
        .annotate(
            asks_me=ExpressionWrapper(
                Q(addressed_to(user), version_since__gte=retention_cutoff()), output_field=BooleanField()
            ),
            my_confirmation=Subquery(confirmed),
        )
        .select_related("section_department")
        .first()
    )
    if requirement is None:
        return None
    banner = Banner(
        requirement=requirement,
        asks_me=bool(requirement.asks_me),
        confirmed_at=requirement.my_confirmation,
        may_see_counts=may_see_counts(user=user, requirement=requirement),
    )
    return banner if banner.asks_me or banner.may_see_counts else None


def may_see(requirement: ReadingRequirement):
    """The active staff who may see what a requirement asks to read (their profiles): for a page,
    those who pass its view restrictions; in the query of whoever uses it."""
    profiles = Profile.objects.filter(user__is_active=True)
    if requirement.content_type_id == _page_type_id():  # only those who may see the page
        # our table names; the page's id a parameter
        sql = _may_see_page_sql("%s", f'"{Profile._meta.db_table}"."user_id"')
        may_see_page = RawSQL(sql, [requirement.object_id], output_field=BooleanField())  # noqa: S611
        profiles = profiles.filter(Q(user__is_superuser=True) | Q(may_see_page))
    return profiles


def audience(requirement: ReadingRequirement):
    """The active staff a requirement asks (their profiles), in the query of whoever uses it."""
    profiles = may_see(requirement)
    if requirement.all_staff:
        return profiles
    in_group = UserGroup.objects.filter(
        user_id=OuterRef("user_id"),
        group_id__in=RequirementGroup.objects.filter(readingrequirement_id=requirement.pk).values("group_id"),
    )
    return profiles.filter(
        Q(department_id__in=RawSQL(_requirement_units_sql(), [requirement.pk]))  # noqa: S611 — fixed SQL
        | Q(Exists(in_group))
    )


def is_addressed(*, requirement: ReadingRequirement, user) -> bool:
    return audience(requirement).filter(user_id=user.pk).exists()


def _confirmed_current(requirement):
    return ReadingConfirmation.objects.filter(
        requirement_id=requirement.pk, version=requirement.version, user_id=OuterRef("user_id")
    )


@dataclass
class DepartmentCount:
    department_id: int | None
    name: str
    slug: str
    addressed: int
    confirmed: int
    open: int | None  # None once the version is closed (its per-person records are deleted)


def is_closed(requirement, now=None) -> bool:
    return requirement.version_since < retention_cutoff(now)


def department_counts(*, requirement: ReadingRequirement) -> list[DepartmentCount]:
    """Per department: how many the requirement asks today, how many confirmed the current
    version (the stored tally, which outlives the per-person records) and how many of those asked
    have not confirmed yet. Two queries, whatever the number of departments."""
    closed = is_closed(requirement)
    live = (
        audience(requirement)
        .values("department_id", "department__name", "department__slug")
        .annotate(addressed=Count("pk"), done=Count("pk", filter=Q(Exists(_confirmed_current(requirement)))))
        .order_by()
    )
    rows: dict = {}
    for row in live:
        rows[row["department_id"]] = DepartmentCount(
            department_id=row["department_id"],
            name=row["department__name"] or "",
            slug=row["department__slug"] or "",
            addressed=row["addressed"],
            confirmed=0,
            open=None if closed else row["addressed"] - row["done"],
        )
    tallies = (
        ReadingTally.objects.filter(requirement_id=requirement.pk, version=requirement.version)
        .values("department_id", "department__name", "department__slug")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for row in tallies:
        entry = rows.get(row["department_id"])
        if entry is None:
            entry = rows[row["department_id"]] = DepartmentCount(
                department_id=row["department_id"],
                name=row["department__name"] or "",
                slug=row["department__slug"] or "",
                addressed=0,
                confirmed=0,
                open=None if closed else 0,
            )
        entry.confirmed = row["total"] or 0
    return sorted(rows.values(), key=lambda entry: (entry.department_id is None, entry.name.casefold()))


def not_confirmed(*, requirement: ReadingRequirement):
    """Who of those asked has not confirmed the current version (a Dienstanweisung only; the
    caller checks `may_see_people`). One query."""
    return (
        audience(requirement)
        .exclude(Exists(_confirmed_current(requirement)))
        .select_related("user", "department")
        .order_by("department__name", "user__last_name", "user__first_name", "pk")
    )


def _group_names(user) -> set[str]:
    cached = getattr(user, "_reading_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._reading_group_names = cached
    return cached


def _is_section_editor(user, requirement) -> bool:
    department = requirement.section_department
    return department is not None and department_editors_group_name(department) in _group_names(user)


def may_see_counts(*, user, requirement: ReadingRequirement) -> bool:
    """The counts per department: the author (page owner, post author), the editor who asked,
    the section's editors, the Redaktion and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.pk in (requirement.owner_id, requirement.requested_by_id):
        return True
    return CENTRAL_EDITORS_GROUP in _group_names(user) or _is_section_editor(user, requirement)


def may_see_people(*, user, requirement: ReadingRequirement) -> bool:
    """Who has not confirmed: only for a Dienstanweisung, and then only the author, the
    department's editors and administrators."""
    if not requirement.service_instruction or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.pk == requirement.owner_id or _is_section_editor(user, requirement)
