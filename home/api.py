"""/api/v1/pages — the knowledge base (department, wiki and process pages) as the user may see
it: every list and lookup goes through `page_selectors.content_pages`, i.e. `visible_pages`."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from intranet.shared.api import ApiError, with_errors
from people.api import AbsenceOut, absence_out, person_ref
from people.api import PersonRef as ContactPerson

from . import page_selectors, reading_api
from .models import DepartmentPage, ProcessPage, WikiPage

TAG = "pages"
router = Router()

MAX_OFFSET = 100_000
MAX_ID = 2**53  # larger ids cannot exist (and would overflow the database driver)

PAGE_TYPES = {"department": DepartmentPage, "wiki": WikiPage, "process": ProcessPage}


class PersonRef(Schema):
    username: str
    name: str


class PageOut(Schema):
    id: int
    type: str
    title: str
    url: str
    department: str | None
    tags: list[str]
    owner: PersonRef | None
    last_published_at: datetime.datetime | None
    last_reviewed: datetime.date | None
    review_due: datetime.date | None
    is_review_due: bool


class ContactOut(Schema):
    responsible: ContactPerson = Field(description="The process page's contact person, else the page's owner.")
    absence: AbsenceOut | None = Field(description="The responsible person's absence running today, if any.")
    today: ContactPerson = Field(description="Whom to turn to today: the responsible person, or their stand-in.")


class PageDetailOut(PageOut):
    body_html: str
    review_interval_months: int
    last_reviewed_by: PersonRef | None
    contact: ContactOut | None = Field(description="Wer ist zuständig? Null when the page names nobody active.")


class PagesOut(Schema):
    count: int
    limit: int
    offset: int
    results: list[PageOut]


class PageFilters(Schema):
    department: str = ""  # slug of the department (its section of the wiki)
    tag: str = ""  # tag slug
    type: str = ""  # department | wiki | process
    review_due: bool | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _person(user) -> dict | None:
    return {"username": user.username, "name": str(user)} if user else None


def _type_names() -> dict[int, str]:
    types = ContentType.objects.get_for_models(*PAGE_TYPES.values())  # cached by Django after the first call
    return {types[model].pk: name for name, model in PAGE_TYPES.items()}


def _page(page, type_names) -> dict:
    return {
        "id": page.pk,
        "type": type_names.get(page.content_type_id, "page"),
        "title": page.title,
        "url": page.list_url,
        "department": page.section_department.slug if page.section_department else None,
        "tags": sorted(tag.name for tag in page.tags.all()),
        "owner": _person(page.content_owner),
        "last_published_at": page.last_published_at,
        "last_reviewed": page.last_reviewed,
        "review_due": page.review_due,
        "is_review_due": page.is_review_due,
    }


@router.get("", response=with_errors({200: PagesOut}), summary="List wiki pages")
def list_pages(request, filters: Query[PageFilters]):
    """The pages you may see, most recently published first. `review_due=true` lists the pages
    whose review date has passed ("Überprüfung fällig")."""
    if filters.type and filters.type not in PAGE_TYPES:
        raise ApiError(
            422,
            "invalid_input",
            "Unknown page type.",
            fields=[{"field": "type", "reason": "department, wiki or process"}],
        )
    pages = page_selectors.content_pages(user=request.auth)
    if filters.type:
        pages = pages.filter(content_type=ContentType.objects.get_for_model(PAGE_TYPES[filters.type]))
    if filters.department:
        pages = pages.filter(section_department__slug=filters.department)
    if filters.tag:
        pages = pages.filter(tagged_items__tag__slug=filters.tag)
    if filters.review_due is not None:
        today = timezone.localdate()
        pages = pages.filter(review_due__lte=today) if filters.review_due else pages.exclude(review_due__lte=today)
    pages = pages.order_by("-last_published_at", "-id")
    count = pages.count()
    rows = list(
        pages.select_related("content_owner", "section_department").prefetch_related("tags")[
            filters.offset : filters.offset + filters.limit
        ]
    )
    type_names = _type_names()
    page_selectors.with_urls(rows)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "results": [_page(page, type_names) for page in rows],
    }


@router.get("/{int:page_id}", response=with_errors({200: PageDetailOut}), summary="One wiki page")
def get_page(request, page_id: int):
    """A page with its rendered content, owner and review dates; 404 when it does not exist or
    you may not see it (the same answer, so restricted pages are not revealed)."""
    if not 1 <= page_id <= MAX_ID:
        raise Http404
    page = (
        page_selectors.content_pages(user=request.auth)
        .select_related("last_reviewed_by")
        .prefetch_related("tags")
        .filter(pk=page_id)
        .first()
    )
    if page is None:
        raise Http404
    page_selectors.with_urls([page])
    data = _page(page, _type_names())
    data.update(
        body_html=str(page.body),
        review_interval_months=page.review_interval_months,
        last_reviewed_by=_person(page.last_reviewed_by),
        contact=_contact(page_selectors.current_contact(page=page)),
    )
    return data


def _contact(contact) -> dict | None:
    if contact is None:
        return None
    return {
        "responsible": person_ref(contact.responsible),
        "absence": absence_out(contact.absence),
        "today": person_ref(contact.today),
    }


def _visible_page(user, page_id: int):
    if not 1 <= page_id <= MAX_ID:
        raise Http404
    page = page_selectors.content_pages(user=user).filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page


@router.post(
    "/{int:page_id}/acknowledge",
    response=with_errors({200: reading_api.AcknowledgementOut}),
    summary="Confirm a page of mandatory reading",
)
def acknowledge_page(request, page_id: int, payload: reading_api.AcknowledgeIn | None = None):
    """ "Gelesen und verstanden" for a page you are asked to read (its current version). Needs a
    read+write token or a session with CSRF token. Confirming twice changes nothing
    (`created: false`); a page that does not ask you answers 404, like one that does not exist."""
    return reading_api.acknowledge(request, _visible_page(request.auth, page_id), payload)


@router.get(
    "/{int:page_id}/acknowledgements",
    response=with_errors({200: reading_api.AcknowledgementsOut}),
    summary="Reading progress of a page (aggregate)",
)
def page_acknowledgements(request, page_id: int):
    """Counts per department of a page of mandatory reading: asked, confirmed, still open. For the
    page's owner, the editor who asked, the section's editors, the Redaktion and administrators;
    404 for everyone else. Names of those who have not confirmed only for a service instruction
    (Dienstanweisung), and only for its owner, the department's editors and administrators."""
    return reading_api.acknowledgements(request, _visible_page(request.auth, page_id))
