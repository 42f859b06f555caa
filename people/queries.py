"""Every read of people data that pages (and later the API) share (the "selectors" of CONVENTIONS.md;
not named selectors.py because that name shadows the standard library when a tool runs inside the app folder).

The directory is searched with plain database queries: a handful of indexed columns joined to
the user, the department and the expertise tags, so a page costs the same few queries whether the
city has fifty members of staff or five thousand."""

import re
import string
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from .absences import with_absences
from .models import Department, ExpertiseTag, Profile, TaggedExpertise, fold_for_search

PAGE_SIZE = 50

# Letters of the A–Z bar; umlauts are filed under their base letter as in a telephone book.
LETTERS = list(string.ascii_uppercase)
_LETTER_VARIANTS = {"A": ["Ä"], "O": ["Ö"], "U": ["Ü"], "S": ["Ş"]}

# Words of a question that say nothing about what is searched for:
# "Wer kennt sich mit Vergaberecht aus?" searches for "Vergaberecht".
STOP_WORDS = {
    "wer", "wen", "wem", "was", "wie", "wo", "kennt", "kenne", "sich", "mit", "aus", "auskennt", "der", "die",
    "das", "den", "dem", "des", "ein", "eine", "einen", "und", "oder", "im", "in", "für", "fuer", "von", "zu",
    "zum", "zur", "ist", "kann", "hilft", "bei", "weiß", "weiss", "über", "ueber", "beim", "hat", "ich", "suche",
    "jemand", "jemanden", "who", "knows", "about", "the", "a", "an", "of", "with",
}  # fmt: skip


def search_terms(q: str) -> list[str]:
    words = [w for w in re.split(r"[^\w\-]+", q.casefold()) if w]
    terms = [w for w in words if w not in STOP_WORDS]
    return terms or words


@dataclass
class DirectoryFilters:
    q: str = ""
    department: Department | None = None
    letter: str = ""
    expertise: str = ""
    include_subunits: bool = False  # with `department`: also the units beneath it
    extra: dict = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.q or self.department or self.letter or self.expertise)


def active_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(user__is_active=True)


def _term_condition(term: str) -> Q:
    # `search_text` holds name, job title, responsibilities, languages, department and expertise,
    # case-folded; short department abbreviations ("IT", "BA") also match exactly.
    return Q(search_text__contains=fold_for_search(term).split(" || ")[0]) | Q(department__short_name__iexact=term)


def directory(filters: DirectoryFilters) -> QuerySet[Profile]:
    """Active staff matching every word of the search (in name, job title, responsibilities,
    languages, department or expertise) and the filters, alphabetically. Each row comes with its
    user, department and expertise tags, without further queries per person."""
    profiles = active_profiles()
    for term in search_terms(filters.q):
        profiles = profiles.filter(_term_condition(term))
    if filters.department is not None and filters.include_subunits:
        profiles = profiles.filter(department_id__in=Department.in_subtree(filters.department.pk))
    elif filters.department is not None:
        profiles = profiles.filter(department=filters.department)
    if filters.letter:
        letters = [filters.letter, *_LETTER_VARIANTS.get(filters.letter, [])]
        condition = Q()
        for letter in letters:
            condition |= Q(user__last_name__istartswith=letter)
        profiles = profiles.filter(condition)
    if filters.expertise:
        profiles = profiles.filter(
            Exists(TaggedExpertise.objects.filter(content_object=OuterRef("pk"), tag__slug=filters.expertise))
        )
    return (
        with_absences(profiles.select_related("user", "department", "deputy"))
        .prefetch_related("expertise")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def directory_page(filters: DirectoryFilters, page_number) -> Page:
    """One page of the directory: a count query, the rows and one query for their tags."""
    return Paginator(directory(filters), PAGE_SIZE).get_page(page_number)


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("name")


def popular_expertise(limit: int = 30) -> list[ExpertiseTag]:
    """The subjects most people list, for the filter; one query."""
    from django.db.models import Count

    return list(
        ExpertiseTag.objects.filter(tagged_profiles__content_object__user__is_active=True)
        .annotate(people=Count("tagged_profiles"))
        .order_by("-people", "name")[:limit]
    )


def profile_for(username: str) -> Profile:
    """The profile page's person with everything the page shows (raises Profile.DoesNotExist)."""
    return (
        with_absences(
            active_profiles().select_related(
                "user", "department", "deputy", "deputy__profile", "manager", "manager__profile"
            )
        )
        .prefetch_related("expertise")
        .get(user__username=username)
    )


def deputy_for(profile: Profile) -> list[Profile]:
    """Whom this person stands in for (active staff only)."""
    return list(active_profiles().filter(deputy=profile.user).select_related("user").order_by("user__last_name")[:20])


def department_members(department: Department) -> QuerySet[Profile]:
    return directory(DirectoryFilters(department=department))


@dataclass
class OrgUnit:
    """One unit of the org chart with the units beneath it."""

    department: Department
    members: int
    section_url: str
    children: list["OrgUnit"] = field(default_factory=list)


def org_chart() -> list[OrgUnit]:
    """The tree of the administration's units, top-level units first, each level by name.

    Each unit comes with its head and deputy head, its channel (posts.Channel, reverse relation
    `channel`), its wiki section when published (home.DepartmentPage, reverse relation
    `department_page`; read through the relations, so people imports neither app) and how many
    active members it has. Two queries however large the tree: the units with all of that, and
    the default site's root (for the sections' URLs)."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from wagtail.models import Site

    members = (
        Profile.objects.filter(department=OuterRef("pk"), user__is_active=True)
        .order_by()
        .values("department")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = list(
        Department.objects.select_related("head", "deputy_head", "channel", "department_page")
        .annotate(member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0))
        .order_by("name")
    )
    root_url_path = Site.objects.filter(is_default_site=True).values_list("root_page__url_path", flat=True).first()
    nodes = {unit.pk: OrgUnit(unit, unit.member_count, _section_url(unit, root_url_path or "/")) for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent.children if parent is not None else roots).append(nodes[unit.pk])
    # A cycle (only possible past the admin's validation) would hide its units: show them at the top.
    reachable, stack = set(), list(roots)
    while stack:
        node = stack.pop()
        reachable.add(node.department.pk)
        stack.extend(node.children)
    for unit in units:
        if unit.pk not in reachable:
            node = nodes[unit.pk]
            parent = nodes[unit.parent_id]
            parent.children.remove(node)
            roots.append(node)
            stack = [node]
            while stack:
                current = stack.pop()
                reachable.add(current.department.pk)
                stack.extend(child for child in current.children if child.department.pk not in reachable)
    return roots


def _section_url(unit: Department, root_url_path: str) -> str:
    page = getattr(unit, "department_page", None)
    if page is None or not page.live:
        return ""
    if page.url_path.startswith(root_url_path):
        return "/" + page.url_path[len(root_url_path) :]
    return ""


def mention_candidates(q: str, *, limit: int = 8) -> list[Profile]:
    """Whom "@q" may mean: active staff whose user name, first or last name starts with `q`, with
    their running absence (two queries)."""
    q = q.strip().lstrip("@")[:50]
    if not q:
        return []
    condition = (
        Q(user__username__istartswith=q) | Q(user__first_name__istartswith=q) | Q(user__last_name__istartswith=q)
    )
    return list(
        with_absences(active_profiles().filter(condition).select_related("department")).order_by(
            "user__last_name", "user__first_name", "user__username"
        )[:limit]
    )
