"""/api/v1/search — the same search as the page `/suche/` (search.query.search)."""

import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator

from intranet.shared.api import ApiError, ErrorOut, with_errors

from . import query, registry
from .views import RETRY_AFTER

TAG = "search"
router = Router()

MAX_OFFSET = 1000


class HitOut(Schema):
    type: str
    id: int
    title: str
    url: str
    snippet: str = Field(description="Safe HTML: escaped text, matched words in <mark>.")
    department: str
    tags: list[str]
    updated: datetime.datetime | None
    score: float
    file_type: str = Field("", description='Documents: the file type ("pdf", "docx"); empty for other types.')


class DepartmentFacet(Schema):
    id: int
    name: str
    count: int


class TagFacet(Schema):
    slug: str
    name: str
    count: int


class FacetsOut(Schema):
    type: dict[str, int]
    department: list[DepartmentFacet]
    tag: list[TagFacet]


class SearchOut(Schema):
    count: int = Field(
        ...,
        description="The number of matches the caller may see; with `count_exact` false, a lower bound (more match).",
    )
    count_exact: bool = Field(
        True,
        description="False when more items match than the server counts exactly (PostgreSQL engine, "
        "`SEARCH_EXACT_COUNT_LIMIT`, default 10,000): `count` is that limit, the results are the best of "
        "the best-ranked candidates, and the facets count those candidates only.",
    )
    limit: int
    offset: int
    suggestion: str | None
    partial: bool = Field(
        ...,
        description="True: no item contains every word of `q` (question words and stop words aside), so these "
        "are the best partial matches, those with more of the words first.",
    )
    results: list[HitOut]
    facets: FacetsOut


def _registered(value: str) -> str:
    if value not in registry.names():
        raise ValueError(_("Unknown type. Known types: %(types)s.") % {"types": ", ".join(registry.names())})
    return value


class _TypeNames:
    """The OpenAPI schema of a type name: one of the registered types (read when the schema is
    generated, after every app registered its types)."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema["enum"] = registry.names()
        return schema


#: a registered content type ("page", "post" ...; search.registry)
TypeName = Annotated[str, AfterValidator(_registered), _TypeNames()]


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=query.MAX_QUERY_LENGTH)
    type: list[TypeName] = []
    department: str = ""  # slug
    include_subunits: bool = Field(False, description="With `department`: also the units beneath it.")
    tag: str = Field("", max_length=100)
    sort: Literal["relevance", "date"] = "relevance"
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "", response=with_errors({200: SearchOut, 503: ErrorOut}), summary="Search pages, posts, people and documents"
)
def search(request, params: Query[SearchParams]):
    """One ranked list over everything the caller may see. `type` may repeat; `department` is a
    department slug; `tag` a tag slug. Facets count only what the caller may see. While the
    search index is being repaired: 503 `search_unavailable` with `Retry-After`."""
    department_id = None
    if params.department:
        department_id = registry.departments().by_slug(params.department)
        if department_id is None:
            raise ApiError(
                422,
                "invalid_input",
                _("Some input is not valid."),
                [{"field": "department", "reason": _("Unknown department.")}],
            )
    if not params.q.strip():
        raise ApiError(
            422, "invalid_input", _("Some input is not valid."), [{"field": "q", "reason": _("Enter a search term.")}]
        )
    try:
        result = query.search(
            user=request.user,
            q=params.q,
            filters=query.Filters(
                types=list(params.type),
                department=department_id,
                subunits=registry.departments().subunits(department_id)
                if department_id and params.include_subunits
                else (),
                tag=params.tag,
            ),
            sort=params.sort,
            offset=params.offset,
            limit=params.limit,
            request=request,
        )
    except query.SearchUnavailable:
        raise ApiError(
            503, "search_unavailable", _("Search is unavailable at the moment. Please try again later."),
            retry_after=RETRY_AFTER,
        ) from None  # fmt: skip
    return {
        "count": result.count,
        "count_exact": result.count_exact,
        "limit": params.limit,
        "offset": params.offset,
        "suggestion": result.suggestion,
        "partial": result.partial,
        "results": [hit.__dict__ for hit in result.hits],
        "facets": result.facets,
    }
