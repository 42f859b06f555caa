"""Input that no page, form, API endpoint or import may pass on to the database.

Two kinds of characters cannot be stored at all:

* NUL (U+0000): SQLite stores it, PostgreSQL refuses every text containing it (``DataError``),
  so the same input saved on one shape and crashed on the other;
* lone surrogates (U+D800-U+DFFF): JSON may spell them (``"\\ud800"``), but they are not
  characters and cannot be encoded as UTF-8 for either database.

``check_storable`` is the one check; ``posts.actions.clean_text`` (every post, whatever its
path), the API's JSON parser (every string of every JSON body) and
``intranet.validators.RejectUnstorableInputMiddleware`` (the path and the query string of every
request) use it. Shared with the apps (``intranet.shared``): imports nothing of the project."""

from django.core.exceptions import ValidationError
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
