"""Requests whose path or query string no database query may carry answer 400 before any view
runs (the check itself: ``intranet.shared.validators``)."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .shared.api import error_response
from .shared.validators import is_storable, unstorable_message


def unstorable_parameters(request) -> list[str]:
    """Names of the query-string parameters (or "path") that hold a character no database
    query may carry."""
    bad = [] if is_storable(request.path) else ["path"]
    for key, values in request.GET.lists():
        if not is_storable(key) or not all(is_storable(value) for value in values):
            bad.append(key if is_storable(key) else "?")
    return bad


class RejectUnstorableInputMiddleware:
    """A NUL in a URL (``/suche/?q=%00``, ``/beitraege/thema/%00/``) used to reach the database
    and answer 500 on PostgreSQL (200 on SQLite). Every such request now answers 400 before any
    view runs: the API in its error shape naming the parameters, pages with the 400 page.
    (Form fields are checked by Django's forms, JSON bodies by the API's parser.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = unstorable_parameters(request)
        if not bad:
            return self.get_response(request)
        reason = unstorable_message()
        if request.path.startswith("/api/"):
            return error_response(
                400, _("Some input is not valid."), fields=[{"field": name, "reason": reason} for name in bad]
            )
        return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}, request=request))
