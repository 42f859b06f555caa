"""The search page `/suche/` and the header's as-you-type suggestions. Both call search.query."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import query, registry
from .models import record_search

PAGE_SIZE = 20
MAX_PAGE = 50
# Dates a filter accepts: a day before or after these has no content, and 9999-12-31 (+1 day for
# "until") or 0001-01-01 (in UTC) are beyond what Python's dates and the databases can hold.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2999, 12, 31)
MAX_ID = 2**63 - 1  # the largest id either database stores
#: Seconds a client is asked to wait (Retry-After) while the search is unavailable: about the
#: time a repair of the index takes on a mid-sized intranet.
RETRY_AFTER = 120


def _date(value: str):
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


def _int(value: str, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if -MAX_ID <= number <= MAX_ID else default


def parse_filters(params) -> tuple[query.Filters, list[str]]:
    """The filters of the search page, and a message for each filter value that is not valid
    (that filter is then left out)."""
    errors = []
    department = None
    if params.get("department"):
        department = _int(params.get("department"))
        if department is None or department < 1:
            department = None
            errors.append(_("Unknown department."))
    dates = {}
    for name in ("from", "to"):
        value = params.get(name, "")
        dates[name] = _date(value) if value else None
        if value and dates[name] is None:
            errors.append(
                _("Please enter a valid date between %(min)s and %(max)s.")
                % {"min": MIN_DATE.strftime("%d.%m.%Y"), "max": MAX_DATE.strftime("%d.%m.%Y")}
            )
    subunits = ()
    if department and params.get("subunits") == "1":
        subunits = registry.departments().subunits(department)
    filters = query.Filters(
        types=[t for t in params.getlist("type") if t in registry.names()],
        department=department,
        subunits=subunits,
        tag=params.get("tag", "")[:100],
        date_from=dates["from"],
        date_to=dates["to"],
    )
    return filters, errors


def filters_from(params) -> query.Filters:
    return parse_filters(params)[0]


def search_page(request):
    q = query.normalise(request.GET.get("q", ""))
    filters, errors = parse_filters(request.GET)
    for error in errors:
        messages.error(request, error)
    sort = request.GET.get("sort") if request.GET.get("sort") in query.SORTS else "relevance"
    page_number = min(max(_int(request.GET.get("page"), 1), 1), MAX_PAGE)
    try:
        result = query.search(
            user=request.user,
            q=q,
            filters=filters,
            sort=sort,
            offset=(page_number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
            request=request,
        )
    except query.SearchUnavailable:
        return unavailable(request, q)
    if q and page_number == 1:
        record_search(q=q, result_count=result.count)
    paginator = Paginator(range(result.count), PAGE_SIZE) if result.count else None
    params = request.GET.copy()
    params.pop("page", None)

    def url_with(**changes):
        p = params.copy()
        for key, value in changes.items():
            p.pop(key, None)
            if value not in (None, ""):
                p[key] = value
        return "?" + p.urlencode()

    types = registry.types()
    type_facets = [
        {
            "value": search_type.name,
            "label": search_type.label,
            "count": result.facets["type"].get(search_type.name),  # None: not counted (no badge)
            "checked": search_type.name in filters.types,
        }
        for search_type in types
    ]
    hit_labels = {search_type.name: search_type.hit_label for search_type in types}
    context = {
        "q": q,
        "result": result,
        "count_bound": number_format(result.count, force_grouping=True),
        "candidates": number_format(settings.SEARCH_RANK_CANDIDATES, force_grouping=True),
        "filters": filters,
        "sort": sort,
        "type_facets": type_facets,
        # each hit with its type's label (the badge)
        "hits": [(hit, hit_labels.get(hit.type, "")) for hit in result.hits],
        "departments": registry.departments().choices(),
        "department_facets": [
            dict(row, url=url_with(department=row["id"]), active=row["id"] == filters.department)
            for row in result.facets["department"]
        ],
        "tag_facets": [
            dict(row, url=url_with(tag=row["slug"]), active=row["slug"] == filters.tag) for row in result.facets["tag"]
        ],
        "clear_department_url": url_with(department=None),
        "clear_tag_url": url_with(tag=None),
        "page_obj": paginator.get_page(page_number) if paginator else None,
        "page_base": "?" + params.urlencode() + ("&" if params else ""),
        "suggestion_url": "?" + urlencode({"q": result.suggestion}) if result.suggestion else "",
    }
    # a filter that is not valid is named above the results, which ignore it
    return render(request, "search/search.html", context, status=400 if errors else 200)


def unavailable(request, q: str = ""):
    """The search page while the search engine cannot answer: 503, in the site's layout."""
    response = render(request, "search/unavailable.html", {"q": q}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def suggestions(request):
    """JSON for the header box: `{"results": [{"type", "label", "url", "type_label"}]}` (items of
    the types that offer suggestions, and tags).
    While the search is unavailable: 503 with no results (the box then shows nothing)."""
    try:
        results = query.suggestions(user=request.user, q=request.GET.get("q", ""))
    except query.SearchUnavailable:
        response = JsonResponse({"results": []}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    labels = {search_type.name: search_type.hit_label for search_type in registry.types()}
    labels["tag"] = _("Tag")
    for row in results:
        row["type_label"] = str(labels[row["type"]])
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
