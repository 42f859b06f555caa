"""The one module that sanitises HTML (bleach). Post text (``posts.markup``) and imported wiki
pages (``home.importer``) go through these three functions and never call bleach themselves, so
the sanitiser could be exchanged (e.g. for nh3) here without touching a caller, and the
hostile-input tests (tests/intranet/test_shared_html.py) run against this module.

bleach is in maintenance mode upstream, with security releases; the project's design names it.
Shared with the apps (``intranet.shared``): imports nothing of the project or of an app."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterable, Mapping

import bleach

#: ``attributes`` of :func:`sanitise`: per tag the attribute names it may keep, or a function
#: ``(tag, name, value) -> bool``.
Attributes = Mapping[str, Iterable[str]] | Callable[[str, str, str], bool]


def sanitise(html: str, *, tags: Iterable[str], attributes: Attributes, protocols: Iterable[str]) -> str:
    """``html`` with only the allowed ``tags`` and ``attributes``; a link or source whose address
    uses another scheme than ``protocols`` loses it. Everything else is stripped to its text;
    comments go."""
    if not callable(attributes):
        attributes = {tag: list(names) for tag, names in attributes.items()}
    return bleach.clean(html, tags=set(tags), attributes=attributes, protocols=set(protocols), strip=True)


def rewrite_links(
    html: str, rewrite: Callable[[dict[str, str]], dict[str, str] | None], *, skip_tags: Iterable[str] = ()
) -> str:
    """Calls ``rewrite`` with the attributes of each link in (already sanitised) ``html`` and
    writes back the attributes it returns; ``None`` turns the link into its text. Text inside
    ``skip_tags`` is left alone; e-mail addresses in the text are not linked."""

    def callback(attrs, new=False):
        text = attrs.get("_text")
        plain = {key[1]: value for key, value in attrs.items() if isinstance(key, tuple)}
        result = rewrite(plain)
        if result is None:
            return None
        out = {(None, name): value for name, value in result.items()}
        if text is not None:
            out["_text"] = text
        return out

    return bleach.linkify(html, callbacks=[callback], skip_tags=set(skip_tags), parse_email=False)


def text_of(html: str) -> str:
    """The text of ``html``: the tags stripped and the entities read back ("&amp;" is "&"), so
    the result is text. Whoever puts it into HTML escapes it (the templates do)."""
    return htmllib.unescape(bleach.clean(html, tags=set(), strip=True))


# Where one block of text ends and the next begins: a space there, so "<p>a</p><p>b</p>" reads
# "a b", not "ab".
_BLOCK_BOUNDARY = re.compile(
    r"<(?:br|hr)\b[^>]*>|</?(?:p|div|h[1-6]|li|ul|ol|blockquote|pre|tr|td|th|table|section|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")

#: How long an excerpt is unless the surface asks for another length.
EXCERPT_LENGTH = 200


def plain_text(html: str) -> str:
    """The readable text of rendered ``html`` on one line: tags stripped, a space where a block
    (paragraph, list item, heading, line break) ends, entities read back ("&amp;" is "&"), runs
    of whitespace as one space. Whoever puts it into HTML escapes it (the templates do)."""
    return _SPACES.sub(" ", text_of(_BLOCK_BOUNDARY.sub(" ", html or ""))).strip()


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain ``text`` on one line, at most ``length`` characters: cut at the last word boundary
    before that, with "…" where it was cut (the ellipsis counts). Text is not HTML: see
    :func:`plain_excerpt` for rendered content."""
    text = _SPACES.sub(" ", text or "").strip()
    if len(text) <= length:
        return text
    cut = text[: max(length - 1, 1)]
    space = cut.rfind(" ")
    if space > 0 and not text[len(cut)].isspace():
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def plain_excerpt(html: str, length: int = EXCERPT_LENGTH) -> str:
    """The one way a snippet, backlink, notification or preview is made from rendered content:
    :func:`plain_text` of ``html``, cut at a word boundary with "…" (:func:`excerpt`)."""
    return excerpt(plain_text(html), length)
