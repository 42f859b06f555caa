"""/api/v1/people — the staff directory, through the same reads as the directory page."""

import datetime

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


class PersonRef(Schema):
    username: str
    name: str
    department: str | None = Field(None, description="Name of the person's unit.")
    phone: str = ""
    url: str


class AbsenceOut(Schema):
    until: datetime.date = Field(description="Last day of the absence (included).")
    note: str
    stand_in: PersonRef | None = Field(
        description="Who stands in today: the deputy named for the absence, else the standing deputy, "
        "else the unit's deputy head or head."
    )


class PersonDetailOut(PersonOut):
    responsibilities: str
    languages: list[str]
    deputy: str | None = Field(description="User name of the standing deputy (who stands in when the person is away).")
    absence: AbsenceOut | None = Field(description="The absence running today; null when the person is present.")
    contact_today: PersonRef = Field(description="Whom to turn to today: the person, or their stand-in while absent.")


class PeopleOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[PersonOut]


class PeopleFilters(Schema):
    q: str = ""
    department: str = ""  # slug
    include_subunits: bool = Field(False, description="With `department`: also the people of the units beneath it.")
    expertise: str = ""  # slug
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def person_ref(user) -> dict:
    """A person with unit and phone (user with `profile__department` loaded, or one query)."""
    profile = getattr(user, "profile", None)
    department = profile.department if profile is not None and profile.department_id else None
    return {
        "username": user.username,
        "name": str(user),
        "department": department.name if department else None,
        "phone": profile.phone if profile is not None else "",
        "url": profile.get_absolute_url() if profile is not None else "",
    }


def absence_out(absence) -> dict | None:
    if absence is None:
        return None
    return {
        "until": absence.ends_on,
        "note": absence.note,
        "stand_in": person_ref(absence.stand_in) if absence.stand_in else None,
    }


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
        )
        absence = profile.current_absence
        data["absence"] = absence_out(absence)
        data["contact_today"] = person_ref((absence.stand_in if absence else None) or user)
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
        queries.DirectoryFilters(
            q=filters.q[:200],
            department=department,
            expertise=filters.expertise[:100],
            include_subunits=filters.include_subunits,
        )
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
