"""/api/v1/people — the staff directory, through the same reads as the directory page."""

from django.http import Http404
from ninja import Field, Query, Router, Schema

from intranet.shared.api import with_errors

from . import queries
from .models import Department, Profile

TAG = "people"
router = Router()

MAX_OFFSET = 100_000


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    slug: str


class PersonOut(Schema):
    username: str
    name: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    department: DepartmentOut | None
    phone: str
    room: str
    expertise: list[str]
    url: str


class PersonDetailOut(PersonOut):
    responsibilities: str
    languages: list[str]
    deputy: str | None
    absence_note: str


class PeopleOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[PersonOut]


class PeopleFilters(Schema):
    q: str = ""
    department: str = ""  # slug
    expertise: str = ""  # slug
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _person(profile: Profile, *, detail: bool = False) -> dict:
    user = profile.user
    department = profile.department
    data = {
        "username": user.username,
        "name": str(user),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": profile.job_title,
        "department": (
            {"id": department.pk, "name": department.name, "short_name": department.short_name, "slug": department.slug}
            if department
            else None
        ),
        "phone": profile.phone,
        "room": profile.room,
        "expertise": sorted(tag.name for tag in profile.expertise.all()),
        "url": profile.get_absolute_url(),
    }
    if detail:
        data.update(
            responsibilities=profile.responsibilities,
            languages=profile.language_list,
            deputy=profile.deputy.username if profile.deputy_id and profile.deputy.is_active else None,
            absence_note=profile.absence_note,
        )
    return data


@router.get("", response=with_errors({200: PeopleOut}), summary="List and search staff")
def list_people(request, filters: Query[PeopleFilters]):
    """Active staff, alphabetically; `q` searches name, job title, responsibilities, languages,
    department and expertise like the directory page. `department` and `expertise` are slugs."""
    department = None
    if filters.department:
        department = Department.objects.filter(slug=filters.department).first()
        if department is None:
            return {"count": 0, "limit": filters.limit, "offset": filters.offset, "results": []}
    profiles = queries.directory(
        queries.DirectoryFilters(q=filters.q[:200], department=department, expertise=filters.expertise[:100])
    )
    count = profiles.count()
    rows = list(profiles[filters.offset : filters.offset + filters.limit])
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "results": [_person(profile) for profile in rows],
    }


@router.get("/{username}", response=with_errors({200: PersonDetailOut}), summary="One member of staff")
def get_person(request, username: str):
    try:
        profile = queries.profile_for(username)
    except Profile.DoesNotExist as exc:
        raise Http404 from exc
    return _person(profile, detail=True)
