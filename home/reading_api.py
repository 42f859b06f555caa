"""/api/v1/me/reading-list, and what the page and post routers share for mandatory reading
(Pflichtlektüre): the acknowledgement body and answer, the aggregate (docs/api.md)."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema

from intranet.shared.api import ApiError, require_write, with_errors

from . import actions, reading_selectors

TAG = "me"
router = Router()


class ReadingItemOut(Schema):
    id: int = Field(description="The id of the page or post (see `type`).")
    type: str = Field(description="page or post")
    title: str
    url: str
    due_date: datetime.date | None
    version: int
    asked_since: datetime.datetime
    service_instruction: bool


class ReadingListOut(Schema):
    count: int
    results: list[ReadingItemOut]


class AcknowledgeIn(Schema):
    version: int | None = Field(
        None,
        description="Optional: the version you read (from the reading list). A different current version "
        "answers 409, so you do not confirm text you have not seen.",
    )


class AcknowledgementOut(Schema):
    id: int
    type: str
    version: int
    confirmed_at: datetime.datetime
    created: bool = Field(description="False when you had already confirmed this version (nothing changed).")


class DepartmentCountOut(Schema):
    department: str | None = Field(description="Slug of the unit; null for staff without one.")
    name: str
    asked: int
    confirmed: int
    open: int | None = Field(description="Asked and not confirmed; null once the retention period has passed.")


class ReadingPersonOut(Schema):
    username: str
    name: str
    department: str | None


class AcknowledgementsOut(Schema):
    id: int
    version: int
    active: bool
    due_date: datetime.date | None
    service_instruction: bool
    closed: bool = Field(description="The retention period has passed: per-person records are deleted.")
    asked: int
    confirmed: int
    open: int | None
    departments: list[DepartmentCountOut]
    not_confirmed: list[ReadingPersonOut] | None = Field(
        description="Only for a service instruction (Dienstanweisung), and only for its author, the "
        "department's editors and administrators; null otherwise."
    )


def _type_of(requirement) -> str:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    return "page" if requirement.content_type_id == ContentType.objects.get_for_model(Page).pk else "post"


@router.get("/reading-list", response=with_errors({200: ReadingListOut}), summary="What I still have to read")
def reading_list(request):
    """Pages and official posts you are asked to read and have not confirmed yet (their current
    version), the earliest due first. Confirm with `POST /api/v1/pages/{id}/acknowledge` or
    `POST /api/v1/posts/{id}/acknowledge`."""
    items = list(reading_selectors.reading_list(user=request.auth))
    return {
        "count": len(items),
        "results": [
            {
                "id": item.object_id,
                "type": _type_of(item),
                "title": item.title,
                "url": item.url,
                "due_date": item.due_date,
                "version": item.version,
                "asked_since": item.version_since,
                "service_instruction": item.service_instruction,
            }
            for item in items
        ],
    }


def acknowledge(request, obj, payload: AcknowledgeIn | None) -> dict:
    """Confirms `obj` (a page or post the caller may see) for the caller: 404 when it does not
    ask them, 409 when `version` is not the current one; confirming twice changes nothing."""
    require_write(request)
    requirement = reading_selectors.requirement_for(obj)
    try:
        if requirement is not None and payload is not None and payload.version is not None:
            if not reading_selectors.is_addressed(requirement=requirement, user=request.auth):
                raise actions.NotAddressed
            if payload.version != requirement.version:
                raise ApiError(
                    409,
                    "version_changed",
                    "A newer version must be read first.",
                    fields=[{"field": "version", "reason": f"The current version is {requirement.version}."}],
                )
        confirmation, created = actions.confirm_reading(requirement=requirement, user=request.auth)
    except actions.NotAddressed:
        raise Http404 from None
    return {
        "id": obj.pk,
        "type": _type_of(requirement),
        "version": confirmation.version,
        "confirmed_at": confirmation.confirmed_at,
        "created": created,
    }


def acknowledgements(request, obj) -> dict:
    """The aggregate of `obj`'s mandatory reading; 404 for anyone who may not see it."""
    requirement = reading_selectors.requirement_for(obj)
    if requirement is None or not reading_selectors.may_see_counts(user=request.auth, requirement=requirement):
        raise Http404
    counts = reading_selectors.department_counts(requirement=requirement)
    closed = reading_selectors.is_closed(requirement)
    people = None
    if reading_selectors.may_see_people(user=request.auth, requirement=requirement):
        people = [
            {
                "username": profile.user.username,
                "name": str(profile.user),
                "department": profile.department.slug if profile.department else None,
            }
            for profile in reading_selectors.not_confirmed(requirement=requirement)
        ]
    return {
        "id": obj.pk,
        "version": requirement.version,
        "active": requirement.is_active,
        "due_date": requirement.due_date,
        "service_instruction": requirement.service_instruction,
        "closed": closed,
        "asked": sum(row.addressed for row in counts),
        "confirmed": sum(row.confirmed for row in counts),
        "open": None if closed else sum(row.open or 0 for row in counts),
        "departments": [
            {
                "department": row.slug or None,
                "name": row.name,
                "asked": row.addressed,
                "confirmed": row.confirmed,
                "open": row.open,
            }
            for row in counts
        ],
        "not_confirmed": people,
    }
