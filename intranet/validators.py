"""Input that no page, form, API endpoint or import may pass on to the database.

Two kinds of characters cannot be stored at all:

* NUL (U+0000): SQLite stores it, PostgreSQL refuses every text containing it (``DataError``),
  so the same input saved on one shape and crashed on the other;
* lone surrogates (U+D800-U+DFFF): JSON may spell them (``"\\ud800"``), but they are not
  characters and cannot be encoded as UTF-8 for either database.

``check_storable`` is the one check; ``posts.actions.clean_text`` (every post, whatever its
path), the API's JSON parser (every string of every JSON body) and
``RejectUnstorableInputMiddleware`` (the path and the query string of every request) use it."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def is_storable(value: str) -> bool:
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def unstorable_message() -> str:
    return _(
        "The text contains characters that cannot be stored (a null character or an invalid "
        "Unicode character). Please remove them and try again."
    )


def check_storable(value: str, *, field: str) -> None:
    """Raises ``ValidationError({field: reason})`` if ``value`` cannot be stored."""
    if not is_storable(value):
        raise ValidationError({field: unstorable_message()})


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
            from .api import error_response

            return error_response(
                400, _("Some input is not valid."), fields=[{"field": name, "reason": reason} for name in bad]
            )
        return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}, request=request))
